"""Checks of features.ipynb (see course.yaml for the cells that use them)."""
