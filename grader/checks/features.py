"""What every check of features.ipynb shares: the returned feature array, when two features are the
same, the signs of an answer that ignores its inputs, and crops of the sample images.

Each function's checks live in a module of their own (polar, color_histogram, hog, vocabulary,
bag_of_words, extract_features, feature_experiment). Each check calls only the function it grades.
Data, other features and the classifier come from grader/reference/features.py, so one mistake costs
points once.
"""

from __future__ import annotations

import numpy as np

from ..outcome import Failure
from ..reference import features as ref
from .arrays import returned_array
from .closeness import close

# -- calling the student's function and validating what comes back ------------------------------------


def feature_array(value, shape: tuple[int, ...], what: str, shape_cause: str = "") -> np.ndarray:
    """The student's return value as a float array of exactly `shape`, or a Failure that says why not."""
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], np.ndarray):
        raise Failure(f"{what} as one array of shape {shape}", f"a tuple of {len(value)} things",
                      "np.histogram returns (counts, bin_edges): keep the counts only")
    return returned_array(value, shape, what, shape_cause=shape_cause)


# Feature values: equal up to rounding (1e-7 of the largest expected value, or 1e-9 absolute).
FEATURE_REL, FEATURE_FLOOR = 1e-7, 1e-9


def features_close(got: np.ndarray, expected: np.ndarray) -> bool:
    return close(got, expected, FEATURE_REL, FEATURE_FLOOR)


# -- answers that ignore their inputs: named only on the evidence of what came back ---------------------


def ignored_cause(got: np.ndarray, echoes=()) -> str:
    """Why `got` looks like an answer that ignores its inputs, or "" when it does not: every value 0,
    the same row for every input, or (the first values of) an input handed back."""
    if got.size and np.all(got == 0):
        return "every value is 0: compute the result from the inputs (is the function still a placeholder?)"
    for echo, name in echoes:
        echo = np.asarray(echo, dtype=np.float64)
        if echo.shape == got.shape and np.allclose(got, echo, rtol=1e-12, atol=1e-12):
            return f"what came back is {name}, unchanged: compute the result from them"
        if (echo.ndim == got.ndim == 2 and len(echo) == len(got) and echo.shape[1] >= got.shape[1]
                and np.allclose(got, echo[:, :got.shape[1]], rtol=1e-12, atol=1e-12)):
            return f"each row holds the first values of {name}, not something computed from them"
        if echo.size >= got.size and np.allclose(got.ravel(), echo.ravel()[:got.size], rtol=1e-12, atol=1e-12):
            return f"what came back holds the first values of {name}, not something computed from them"
    if got.ndim > 1 and len(got) > 1 and np.all(got == got[:1]):
        return "every row is the same, whatever the input: compute each row from its own input"
    return ""


def known_or_ignored(known: str, recipe: str, ignored: str) -> str:
    """A known mistake that the output matches, else the sign of an answer ignoring its inputs, else the
    recipe."""
    return known if known != recipe else (ignored or recipe)


def crop(name: str, top: int, left: int, h: int, w: int) -> np.ndarray:
    return ref.sample_image(name)[top:top + h, left:left + w].astype(np.float64)
