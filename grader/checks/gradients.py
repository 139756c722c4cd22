"""Checks of gradients.ipynb (see course.yaml for the cells that use them)."""
