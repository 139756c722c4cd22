"""What the forkserver of `warm_nbgrader` does once, before it forks any student's nbgrader.

Serial `nbgrader autograde` pays once per class for what grading its first student imports lazily and
caches (IPython's input transformer, nbclient, scikit-learn's digits, SciPy, the feature references'
data): about 2.5 s of CPU, a tenth of a student's grading. A process per student would pay it per
student. Importing this module in the forkserver pays it once per Dask worker instead, so that each
student's nbgrader starts as warm as the second student of a serial run.

Only what is the same for every student and every course is warmed: the checks' results depend on
nothing here that a serial run's second student would not find in the same state (the class-grading
equivalence test compares the two, word for word).
"""

from __future__ import annotations

import importlib

# Imported lazily while a notebook is graded: found by listing sys.modules after one student's run.
LAZY_IMPORTS = (
    "IPython.core.inputtransformer2", "nbclient", "nbconvert.preprocessors", "jupyter_client.manager",
    "ipykernel.kernelspec", "sqlite3", "scipy.optimize", "scipy.ndimage", "scipy.sparse", "sklearn.datasets",
    "matplotlib.colors", "PIL.Image", "hypothesis", "hypothesis.extra.numpy",
    "grader.broken_notebooks", "grader.feedback", "grader.grading_status", "grader.submission_files",
    "grader.sandbox.kernel", "grader.sandbox.session", "grader.checks",
)


def warm() -> None:
    for name in LAZY_IMPORTS:
        try:
            importlib.import_module(name)
        except ImportError:   # an optional part missing here costs its import later, nothing more
            pass
    from grader import data
    from grader.reference import features

    data.digits()                     # the checks' default data set, read-only and cached per process
    features.translated_digits()      # the feature experiment's images
    for name in features.FEATURE_NAMES:
        features.digit_features(name)
    features.sample_image()


warm()
