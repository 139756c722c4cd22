"""Checks of optimization.ipynb (see course.yaml for the cells that use them)."""
