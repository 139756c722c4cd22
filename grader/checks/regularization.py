"""Checks of regularization.ipynb (see course.yaml for the cells that use them)."""
