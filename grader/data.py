"""Data sets for training and tuning linear classifiers, prepared the CS231n way.

- `load_digits_split`: scikit-learn's handwritten digits (8x8 images, shipped inside the package, no
  download), split deterministically into train / validation / test, minus the mean training image,
  with a bias column of ones appended (the bias trick).
- `load_cifar10`: the standard CIFAR-10 python batches (data_batch_1..5 and test_batch) from a local
  folder, in CS231n's layout (N, 32, 32, 3); `cifar10_split` prepares them like the digits.

The notebooks give students the same code in a read-only cell (they have numpy, scikit-learn and
matplotlib, not this package); tests/test_data.py checks that both give identical arrays.
"""

from __future__ import annotations

import os
import pickle
from functools import lru_cache

import numpy as np

DIGITS_SEED = 0

# ------------------------------------------------------------------------------------------------
# The functions below, up to the marker, are copied into the notebooks' data cell.
# ------------------------------------------------------------------------------------------------


def load_digits_split(seed=0, num_train=1200, num_val=300):
    """
    Load scikit-learn's handwritten digits (1797 images of 8x8 pixels with values 0..16, classes
    0..9) and split them into train / validation / test sets with a fixed random permutation.
    Preprocessing as in CS231n: subtract the mean training image from every set, then append a
    column of ones to every image (the bias trick).

    Inputs:
    - seed: (int) seed of the permutation; the same seed always gives the same split.
    - num_train, num_val: (int) sizes of the training and validation sets; the remaining
      1797 - num_train - num_val images are the test set.

    Returns a dict with:
    - X_train, X_val, X_test: float arrays of shape (N, 65): 64 pixels minus the mean training
      image, then a 1 for the bias.
    - y_train, y_val, y_test: int64 arrays of shape (N,) with labels in 0..9.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = digits.data.astype(np.float64)
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(X.shape[0])
    train, val, test = np.split(order, [num_train, num_train + num_val])
    mean_image = X[train].mean(axis=0)
    data = {}
    for name, idx in (("train", train), ("val", val), ("test", test)):
        centered = X[idx] - mean_image
        data["X_" + name] = np.hstack([centered, np.ones((len(idx), 1))])
        data["y_" + name] = y[idx]
    return data


def load_cifar10_batch(folder, filename):
    """
    One CIFAR-10 python batch (a pickled dict with b"data", uint8 of shape (N, 3072) holding the
    red, green and blue planes of 32x32 pixels, and b"labels").

    Returns a tuple of:
    - X: uint8 array of shape (N, 32, 32, 3)
    - y: int64 array of shape (N,) with labels in 0..9
    """
    with open(os.path.join(folder, filename), "rb") as f:
        batch = pickle.load(f, encoding="bytes")
    X = np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return X, np.asarray(batch[b"labels"], dtype=np.int64)


def load_cifar10(folder):
    """
    Load the CIFAR-10 python batches (data_batch_1 .. data_batch_5 and test_batch) from `folder`.

    Returns a tuple of:
    - X_train: float array of shape (50000, 32, 32, 3), pixel values 0..255
    - y_train: int64 array of shape (50000,) with labels in 0..9
    - X_test: float array of shape (10000, 32, 32, 3)
    - y_test: int64 array of shape (10000,)
    """
    X_train, y_train = load_cifar10_train_batches(folder)
    X_test, y_test = load_cifar10_batch(folder, "test_batch")
    return X_train.astype(np.float64), y_train, X_test.astype(np.float64), y_test


def load_cifar10_train_batches(folder):
    """data_batch_1 .. data_batch_5 joined: uint8 X of shape (50000, 32, 32, 3) and int64 y (50000,)."""
    parts = [load_cifar10_batch(folder, f"data_batch_{b}") for b in range(1, 6)]
    return np.concatenate([X for X, _ in parts]), np.concatenate([y for _, y in parts])


def cifar10_split(folder, num_train=49000, num_val=1000, num_test=1000):
    """
    CIFAR-10 prepared like CS231n's assignment 1: the validation set is the num_val training images
    after the first num_train, the test set the first num_test test images; every image is flattened
    to 3072 values, minus the mean training image, with a 1 appended (the bias trick). Only the
    selected images are converted to floats.

    Returns a dict with X_train (num_train, 3073), y_train (num_train,), X_val, y_val, X_test, y_test.
    """
    X_train, y_train = load_cifar10_train_batches(folder)
    X_test, y_test = load_cifar10_batch(folder, "test_batch")
    parts = {
        "train": (X_train[:num_train], y_train[:num_train]),
        "val": (X_train[num_train:num_train + num_val], y_train[num_train:num_train + num_val]),
        "test": (X_test[:num_test], y_test[:num_test]),
    }
    flat = {name: X.reshape(X.shape[0], -1).astype(np.float64) for name, (X, _) in parts.items()}
    mean_image = flat["train"].mean(axis=0)
    data = {}
    for name, (_, y) in parts.items():
        data["X_" + name] = np.hstack([flat[name] - mean_image, np.ones((flat[name].shape[0], 1))])
        data["y_" + name] = y
    return data


# ------------------------------------------------------------------------------------------------
# (end of the code copied into the notebooks)
# ------------------------------------------------------------------------------------------------

NOTEBOOK_FUNCTIONS = ("load_digits_split", "load_cifar10_batch", "load_cifar10", "load_cifar10_train_batches",
                      "cifar10_split")


@lru_cache(maxsize=2)
def _digits(seed: int) -> dict:
    data = load_digits_split(seed)
    for array in data.values():
        array.setflags(write=False)
    return data


def digits(seed: int = DIGITS_SEED) -> dict:
    """load_digits_split(seed) with the default sizes, loaded once per process; the arrays are
    read-only (copy before changing them)."""
    return _digits(seed)


@lru_cache(maxsize=2)
def _cifar10(folder: str, num_train: int, num_val: int, num_test: int) -> dict:
    data = cifar10_split(folder, num_train, num_val, num_test)
    for array in data.values():
        array.setflags(write=False)
    return data


def cifar10(folder: str | os.PathLike, num_train: int = 49000, num_val: int = 1000, num_test: int = 1000) -> dict:
    """cifar10_split(folder, ...) loaded once per process; the arrays are read-only."""
    return _cifar10(str(folder), num_train, num_val, num_test)
