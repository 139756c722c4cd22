"""grader/data.py: the digits split and the CIFAR-10 loaders, and the copy students get in the notebook.

CIFAR-10 itself is not here: the tests write small batches in its format (a pickled dict with b"data",
uint8 (N, 3072) holding the red, green and blue planes, and b"labels") and read them back.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from grader import data

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "solutions" / "lecture3" / "optimization.ipynb"
PER_BATCH = 20


@pytest.fixture(scope="module")
def digits():
    return data.load_digits_split()


@pytest.fixture(scope="module")
def cifar_folder(tmp_path_factory):
    """Five training batches and a test batch of PER_BATCH images each, pixel values encoding where
    they are: image k of batch b, channel ch, row r, column c holds (7 * k + 3 * b + 5 * ch + r + 2 * c) % 256."""
    folder = tmp_path_factory.mktemp("cifar-10-batches-py")
    k = np.arange(PER_BATCH)[:, None, None, None]
    ch = np.arange(3)[None, :, None, None]
    r = np.arange(32)[None, None, :, None]
    c = np.arange(32)[None, None, None, :]
    for b, name in enumerate([f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]):
        planes = ((7 * k + 3 * b + 5 * ch + r + 2 * c) % 256).astype(np.uint8)    # (N, 3, 32, 32)
        batch = {b"batch_label": name.encode(), b"data": planes.reshape(PER_BATCH, 3072),
                 b"labels": [int((k0 + b) % 10) for k0 in range(PER_BATCH)],
                 b"filenames": [f"{name}_{i}.png".encode() for i in range(PER_BATCH)]}
        with open(folder / name, "wb") as f:
            pickle.dump(batch, f, protocol=2)
    return folder


def expected_image(batch: int, k: int) -> np.ndarray:
    """(32, 32, 3) float: what image k of batch `batch` (0-based; 5 is the test batch) must hold."""
    r, c, ch = np.meshgrid(np.arange(32), np.arange(32), np.arange(3), indexing="ij")
    return ((7 * k + 3 * batch + 5 * ch + r + 2 * c) % 256).astype(np.float64)


# -- digits ------------------------------------------------------------------------------------------

def test_digits_split_sizes_and_types(digits):
    sizes = {"train": 1200, "val": 300, "test": 297}
    for name, n in sizes.items():
        X, y = digits["X_" + name], digits["y_" + name]
        assert X.shape == (n, 65) and X.dtype == np.float64
        assert y.shape == (n,) and y.dtype == np.int64 and set(np.unique(y)) <= set(range(10))
        assert np.all(X[:, -1] == 1.0), "the bias trick: a column of ones last"
    assert set(np.unique(digits["y_train"])) == set(range(10))


def test_digits_split_is_a_partition_of_the_digits_with_the_train_mean_subtracted(digits):
    from sklearn.datasets import load_digits

    raw = load_digits().data
    centered = np.vstack([digits["X_" + name][:, :64] for name in ("train", "val", "test")])
    # If the three sets are the 1797 images minus one mean m, then sum(raw) - sum(centered) = 1797 m.
    m = (raw.sum(axis=0) - centered.sum(axis=0)) / len(raw)
    restored = np.round(centered + m, 6)
    assert np.allclose(restored, np.round(restored)), "every image minus one common mean"

    def sorted_rows(a):
        return a[np.lexsort(a.T[::-1])]

    np.testing.assert_array_equal(sorted_rows(restored), sorted_rows(raw)), "every image exactly once"
    np.testing.assert_allclose(m, restored[:1200].mean(axis=0), atol=1e-9), "the mean of the training images"
    assert np.allclose(digits["X_train"][:, :64].mean(axis=0), 0.0, atol=1e-12)
    assert not np.allclose(digits["X_val"][:, :64].mean(axis=0), 0.0, atol=1e-3), "val is centered by the train mean"


def test_digits_split_is_deterministic_and_follows_the_seed(digits):
    again = data.load_digits_split()
    assert all(np.array_equal(digits[k], again[k]) for k in digits)
    other = data.load_digits_split(seed=1)
    assert not np.array_equal(digits["y_train"], other["y_train"])
    smaller = data.load_digits_split(num_train=100, num_val=50)
    assert smaller["X_train"].shape == (100, 65) and smaller["X_val"].shape == (50, 65)
    assert smaller["X_test"].shape == (1797 - 150, 65)


def test_cached_digits_are_the_default_split_and_read_only(digits):
    cached = data.digits()
    assert cached is data.digits()
    assert all(np.array_equal(cached[k], digits[k]) for k in digits)
    with pytest.raises(ValueError):
        cached["X_train"][0, 0] = 1.0


def test_importing_the_data_module_does_not_import_scikit_learn():
    code = "import sys, grader.data; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "False"


# -- CIFAR-10 ---------------------------------------------------------------------------------------

def test_load_cifar10_layout(cifar_folder):
    X_train, y_train, X_test, y_test = data.load_cifar10(cifar_folder)
    assert X_train.shape == (5 * PER_BATCH, 32, 32, 3) and X_train.dtype == np.float64
    assert X_test.shape == (PER_BATCH, 32, 32, 3) and X_test.dtype == np.float64
    assert y_train.shape == (5 * PER_BATCH,) and y_train.dtype == np.int64
    assert y_test.shape == (PER_BATCH,) and y_test.dtype == np.int64
    for batch in range(5):                       # batches in order, images in order within each
        for k in (0, 7, PER_BATCH - 1):
            np.testing.assert_array_equal(X_train[batch * PER_BATCH + k], expected_image(batch, k))
            assert y_train[batch * PER_BATCH + k] == (k + batch) % 10
    np.testing.assert_array_equal(X_test[3], expected_image(5, 3))
    assert list(y_test[:3]) == [5, 6, 7]


def test_cifar10_split(cifar_folder):
    split = data.cifar10_split(cifar_folder, num_train=60, num_val=30, num_test=10)
    X_train, y_train, X_test, y_test = data.load_cifar10(cifar_folder)
    flat = X_train.reshape(len(X_train), -1)
    mean = flat[:60].mean(axis=0)
    assert split["X_train"].shape == (60, 3073) and split["X_val"].shape == (30, 3073)
    assert split["X_test"].shape == (10, 3073)
    for name in ("train", "val", "test"):
        assert np.all(split["X_" + name][:, -1] == 1.0)
    np.testing.assert_allclose(split["X_train"][:, :-1], flat[:60] - mean)
    np.testing.assert_allclose(split["X_val"][:, :-1], flat[60:90] - mean)
    np.testing.assert_allclose(split["X_test"][:, :-1], X_test[:10].reshape(10, -1) - mean)
    np.testing.assert_array_equal(split["y_val"], y_train[60:90])
    cached = data.cifar10(cifar_folder, 60, 30, 10)
    assert cached is data.cifar10(str(cifar_folder), 60, 30, 10)
    assert all(np.array_equal(cached[k], split[k]) for k in split)


# -- the copy in the notebook -----------------------------------------------------------------------

def _notebook_loaders() -> dict:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    [cell] = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "data_loaders"]
    assert cell.metadata.nbgrader["locked"] and not cell.metadata.nbgrader["grade"]
    namespace: dict = {"np": np}  # the notebook's setup cell imports numpy as np
    exec(cell.source, namespace)
    return namespace


def test_notebook_gives_students_the_same_loaders(digits, cifar_folder):
    import inspect

    loaders = _notebook_loaders()
    for name in data.NOTEBOOK_FUNCTIONS:
        assert inspect.getsource(getattr(data, name)).rstrip() in _cell_source(), f"{name} differs from grader/data.py"
    theirs = loaders["load_digits_split"]()
    assert all(np.array_equal(theirs[k], digits[k]) for k in digits)
    ours, theirs = data.cifar10_split(cifar_folder, 50, 25, 5), loaders["cifar10_split"](str(cifar_folder), 50, 25, 5)
    assert all(np.array_equal(ours[k], theirs[k]) for k in ours)


def _cell_source() -> str:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    return next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "data_loaders")
