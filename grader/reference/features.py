"""Reference image features in CS231n's conventions (lecture 3, image features), and the data and the
small softmax trainer of features.ipynb.

Conventions (the notebook's docstrings say the same):
- `polar_features`: (N, 2) points (x, y) -> (N, 2) [radius, angle], angle = arctan2(y, x) in (-pi, pi].
- `color_histogram_hsv`: CS231n's: hue = rgb_to_hsv(im / xmax)[..., 0] * xmax, np.histogram over
  np.linspace(xmin, xmax, nbin + 1) with density=normalized, times the bin widths (so the normalized
  histogram is the fraction of pixels per bin and sums to 1).
- `hog_feature`: CS231n's HoG with two corrections. Gray = 0.299 R + 0.587 G + 0.114 B (CS231n's
  starter has 0.144 for blue, a typo). Gradients are CS231n's forward differences,
  gx[:, :-1] = np.diff(image, axis=1), gy[:-1, :] = np.diff(image, axis=0) (zero in the last column /
  row). Orientation = (degrees(arctan2(gy, gx)) + 90) mod 180, in [0, 180): unsigned. CS231n's code
  adds 90 but never folds, so its bins [0, 180) only ever see gradients with gx > 0 (the other half,
  orientations in [180, 270] and (-90, 0), is dropped silently); here every gradient counts. 9 bins of
  20 degrees, [20 b, 20 (b + 1)). Cells of 8 x 8 pixels; per cell and bin, the mean over the cell's 64
  pixels of the magnitude of the pixels whose orientation falls in that bin (CS231n gets the same
  number from scipy's uniform_filter sampled at each cell's centre). Pixels beyond the last whole cell
  are ignored. The result is (n_cells_y, n_cells_x, 9) flattened in C order; CS231n's `.T` stores
  cells as (n_cells_x, n_cells_y, 9) on square images, which the checks accept too.
- Bag of words: `build_vocabulary` is Lloyd's k-means started from k distinct patches drawn with
  np.random.default_rng(seed).choice(M, size=k, replace=False); each iteration assigns every patch to
  its nearest word (squared Euclidean distance, ties to the lowest index) and moves every word to the
  mean of its patches (a word without patches stays). `bow_histogram` is the fraction of patches whose
  nearest word is each word.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from functools import lru_cache

import numpy as np

GRAY_WEIGHTS = np.array([0.299, 0.587, 0.114])
CS231N_GRAY_WEIGHTS = np.array([0.299, 0.587, 0.144])   # the starter code's typo
HOG_ORIENTATIONS = 9
HOG_CELL = 8

# -- polar coordinates --------------------------------------------------------------------------------


def polar_features(points: np.ndarray) -> np.ndarray:
    """(N, 2) Cartesian points (x, y) -> (N, 2) [radius, angle in (-pi, pi]]."""
    points = np.asarray(points, dtype=np.float64)
    x, y = points[:, 0], points[:, 1]
    return np.stack([np.hypot(x, y), np.arctan2(y, x)], axis=1)


def concentric_circles(rng: np.random.Generator, n: int = 200, factor: float = 0.5,
                       noise: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Two noisy concentric circles (like sklearn's make_circles): points (n, 2), labels (n,),
    1 for the inner circle of radius `factor`, 0 for the outer circle of radius 1."""
    y = np.arange(n) % 2
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = np.where(y == 1, factor, 1.0)
    points = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    return points + noise * rng.standard_normal((n, 2)), y


# -- color histogram ----------------------------------------------------------------------------------


def hue(im: np.ndarray, xmax: float = 255) -> np.ndarray:
    """Hue of every pixel, scaled to [0, xmax): matplotlib's rgb_to_hsv(im / xmax)[..., 0] * xmax."""
    from matplotlib.colors import rgb_to_hsv  # imported when first needed (the notebook has it already)

    return rgb_to_hsv(np.asarray(im) / xmax)[..., 0] * xmax


def color_histogram_hsv(im, nbin=10, xmin=0, xmax=255, normalized=True) -> np.ndarray:
    """CS231n's hue histogram: im (H, W, 3) with values in [0, xmax] -> (nbin,)."""
    bins = np.linspace(xmin, xmax, nbin + 1)
    imhist, bin_edges = np.histogram(hue(im, xmax), bins=bins, density=normalized)
    return imhist * np.diff(bin_edges)


# -- histogram of oriented gradients ------------------------------------------------------------------


def rgb2gray(rgb: np.ndarray, weights: np.ndarray = GRAY_WEIGHTS) -> np.ndarray:
    """(..., 3) RGB -> (...) gray, 0.299 R + 0.587 G + 0.114 B."""
    return np.dot(np.asarray(rgb, dtype=np.float64)[..., :3], weights)


def image_gradients(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CS231n's forward differences of (..., H, W) images: gx along columns, gy along rows, each zero
    in the last column (gx) or row (gy)."""
    image = np.asarray(image, dtype=np.float64)
    gx = np.zeros(image.shape)
    gy = np.zeros(image.shape)
    gx[..., :, :-1] = np.diff(image, n=1, axis=-1)
    gy[..., :-1, :] = np.diff(image, n=1, axis=-2)
    return gx, gy


def orientation_bins(orientation: np.ndarray, orientations: int = HOG_ORIENTATIONS) -> np.ndarray:
    """Bin index of orientations in degrees [0, 180): bin b is [180 b / n, 180 (b + 1) / n), decided by
    the same comparisons as CS231n's (`>= 180 / n * b` and `< 180 / n * (b + 1)`)."""
    inner_edges = 180 / orientations * np.arange(1, orientations)
    return np.minimum(np.digitize(orientation, inner_edges), orientations - 1)


def orientation_histograms(magnitude: np.ndarray, orientation: np.ndarray, cell: int = HOG_CELL,
                           orientations: int = HOG_ORIENTATIONS) -> np.ndarray:
    """(..., H, W) magnitudes and orientations in degrees [0, 180) -> (..., H // cell, W // cell,
    orientations): per cell and bin, the mean over the cell's cell * cell pixels of the magnitude of
    the pixels whose orientation falls in that bin. Pixels beyond the last whole cell are ignored."""
    magnitude = np.asarray(magnitude, dtype=np.float64)
    *lead, h, w = magnitude.shape
    ny, nx = h // cell, w // cell
    mag = magnitude[..., : ny * cell, : nx * cell].reshape(-1, ny * cell, nx * cell)
    b = orientation_bins(np.asarray(orientation)[..., : ny * cell, : nx * cell], orientations)
    b = b.reshape(mag.shape)
    n = mag.shape[0]
    cell_of_row = np.arange(ny * cell) // cell
    cell_of_col = np.arange(nx * cell) // cell
    index = ((np.arange(n)[:, None, None] * ny + cell_of_row[None, :, None]) * nx
             + cell_of_col[None, None, :]) * orientations + b
    sums = np.bincount(index.ravel(), weights=mag.ravel(), minlength=n * ny * nx * orientations)
    return (sums / (cell * cell)).reshape(*lead, ny, nx, orientations)


def unsigned_orientation(gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """(degrees(arctan2(gy, gx)) + 90) mod 180, in [0, 180) (the same numbers as `% 180`, faster)."""
    orientation = np.degrees(np.arctan2(gy, gx))
    orientation += 90                                   # (-90, 270]
    np.subtract(orientation, 180, out=orientation, where=orientation >= 180)
    np.add(orientation, 180, out=orientation, where=orientation < 0)
    return orientation      # may hold 180.0 where -1e-20 + 180 rounds up: orientation_bins puts it last


def hog_cells(gray: np.ndarray) -> np.ndarray:
    """(..., H, W) gray images -> (..., H // 8, W // 8, 9) HoG cell histograms."""
    gx, gy = image_gradients(gray)
    magnitude = np.sqrt(gx ** 2 + gy ** 2)
    return orientation_histograms(magnitude, unsigned_orientation(gx, gy))


def hog_feature(im: np.ndarray) -> np.ndarray:
    """HoG of one image, (H, W) gray or (H, W, 3) RGB -> (H // 8 * W // 8 * 9,)."""
    im = np.asarray(im, dtype=np.float64)
    gray = rgb2gray(im) if im.ndim == 3 else im
    return hog_cells(gray).ravel()


def cs231n_cell_order(feature: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The same HoG values in CS231n's cell order, (n_cells_x, n_cells_y, 9) (its `.T`)."""
    ny, nx = shape[0] // HOG_CELL, shape[1] // HOG_CELL
    return feature.reshape(ny, nx, HOG_ORIENTATIONS).transpose(1, 0, 2).ravel()


# -- bag of visual words ------------------------------------------------------------------------------


def extract_patches(im: np.ndarray, size: int, stride: int) -> np.ndarray:
    """(H, W[, C]) image -> (num_patches, size * size[* C]): every size x size patch whose top-left
    corner is (i, j), i in range(0, H - size + 1, stride), j likewise, in row-major order of (i, j),
    each flattened with reshape(-1)."""
    im = np.asarray(im, dtype=np.float64)
    h, w = im.shape[:2]
    return np.array([im[i:i + size, j:j + size].reshape(-1)
                     for i in range(0, h - size + 1, stride) for j in range(0, w - size + 1, stride)])


def extract_patches_batch(imgs: np.ndarray, size: int, stride: int) -> np.ndarray:
    """(N, H, W) images -> (N, num_patches, size * size), the patches of extract_patches per image."""
    imgs = np.asarray(imgs, dtype=np.float64)
    windows = np.lib.stride_tricks.sliding_window_view(imgs, (size, size), axis=(1, 2))[:, ::stride, ::stride]
    return windows.reshape(len(imgs), -1, size * size)


def squared_distances(patches: np.ndarray, vocabulary: np.ndarray) -> np.ndarray:
    """(M, P) and (k, P) -> (M, k) squared Euclidean distances."""
    return (np.sum(patches ** 2, axis=1)[:, None] - 2 * patches @ vocabulary.T
            + np.sum(vocabulary ** 2, axis=1)[None, :])


def nearest_word(patches: np.ndarray, vocabulary: np.ndarray) -> np.ndarray:
    """(M,) index of each patch's nearest word (squared Euclidean distance, ties to the lowest index)."""
    return np.argmin(squared_distances(patches, vocabulary), axis=1)


def initial_words(patches: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.array(patches[rng.choice(len(patches), size=k, replace=False)], dtype=np.float64)


def kmeans_step(patches: np.ndarray, vocabulary: np.ndarray) -> np.ndarray:
    """One Lloyd iteration: assign, then move each word to the mean of its patches."""
    assign = nearest_word(patches, vocabulary)
    k, p = vocabulary.shape
    counts = np.bincount(assign, minlength=k)
    sums = np.zeros((k, p))
    np.add.at(sums, assign, patches)
    out = vocabulary.copy()
    has = counts > 0
    out[has] = sums[has] / counts[has, None]
    return out


def build_vocabulary(patches: np.ndarray, k: int, num_iters: int = 10, seed: int = 0) -> np.ndarray:
    """(M, P) patches -> (k, P) visual words by Lloyd's k-means (see the module docstring)."""
    patches = np.asarray(patches, dtype=np.float64)
    vocabulary = initial_words(patches, k, seed)
    for _ in range(num_iters):
        vocabulary = kmeans_step(patches, vocabulary)
    return vocabulary


def bow_histogram(patches: np.ndarray, vocabulary: np.ndarray) -> np.ndarray:
    """(M, P) patches, (k, P) words -> (k,) fraction of the patches nearest to each word."""
    patches = np.asarray(patches, dtype=np.float64)
    vocabulary = np.asarray(vocabulary, dtype=np.float64)
    counts = np.bincount(nearest_word(patches, vocabulary), minlength=len(vocabulary))
    return counts / len(patches)


# -- stacking features --------------------------------------------------------------------------------


def extract_features(imgs: np.ndarray, feature_fns) -> np.ndarray:
    """imgs (N, ...) and feature functions (one image -> 1-D) -> (N, F_1 + ... + F_k), each row the
    concatenation of one image's features in the order of feature_fns."""
    return np.array([np.concatenate([np.ravel(fn(im)) for fn in feature_fns]) for im in imgs], dtype=np.float64)


# -- the provided softmax trainer ---------------------------------------------------------------------


def standardize(train: np.ndarray, *others: np.ndarray) -> list[np.ndarray]:
    """Zero mean, unit variance per feature, with the training set's statistics (constant features
    become 0)."""
    mean = train.mean(axis=0)
    std = train.std(axis=0)
    std = np.where(std > 1e-8, std, 1.0)
    return [(a - mean) / std for a in (train, *others)]


def _one_blas_thread():
    try:
        from threadpoolctl import threadpool_limits   # installed with scikit-learn
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def train_softmax(X: np.ndarray, y: np.ndarray, learning_rate: float, reg: float, num_iters: int,
                  num_classes: int | None = None) -> np.ndarray:
    """Full-batch gradient descent on the mean softmax loss + reg * sum(W * W), from W = 0, with a bias
    column of ones appended to X. Returns W of shape (D + 1, C)."""
    Xb = np.hstack([X, np.ones((X.shape[0], 1))])
    n = Xb.shape[0]
    c = int(num_classes if num_classes is not None else y.max() + 1)
    W = np.zeros((Xb.shape[1], c))
    # One BLAS thread, as in the notebook: for matrices this small more threads only wait for each other.
    # A learning rate that diverges gives nan weights, not warnings.
    with _one_blas_thread(), np.errstate(all="ignore"):
        for _ in range(num_iters):
            scores = Xb @ W
            scores -= scores.max(axis=1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=1, keepdims=True)
            probs[np.arange(n), y] -= 1
            W -= learning_rate * (Xb.T @ probs / n + 2 * reg * W)
    return W


def predict_softmax(W: np.ndarray, X: np.ndarray) -> np.ndarray:
    Xb = np.hstack([X, np.ones((X.shape[0], 1))])
    with np.errstate(all="ignore"):
        return np.argmax(np.nan_to_num(Xb @ W, nan=0.0), axis=1)


def linear_accuracy(X_train, y_train, X_test, y_test, learning_rate, reg, num_iters) -> float:
    """Test accuracy of the provided trainer on standardized features."""
    X_train, X_test = standardize(X_train, X_test)
    W = train_softmax(X_train, y_train, learning_rate, reg, num_iters)
    return float(np.mean(predict_softmax(W, X_test) == y_test))


# -- data: scikit-learn's digits, enlarged and translated; scikit-learn's sample images ----------------

DIGIT_SCALE = 2        # each 8 x 8 digit becomes 16 x 16 (np.kron)
DIGIT_CANVAS = 24      # placed at a random offset (0..8 in each direction) on a 24 x 24 canvas
DIGIT_SEED = 0
DIGIT_SPLITS = {"train": slice(0, 1000), "val": slice(1000, 1300), "test": slice(1300, None)}
PATCH_SIZE, PATCH_STRIDE = 8, 4
NUM_WORDS, VOCABULARY_PATCHES = 16, 2000
FEATURE_NAMES = ("raw", "hog", "bow", "color")


def _sklearn_file(*parts: str) -> str:
    """A data file shipped inside scikit-learn, found without importing it (importing
    sklearn.datasets costs about a second)."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("scikit-learn is not installed")
    return os.path.join(list(spec.submodule_search_locations)[0], "datasets", *parts)


@lru_cache(maxsize=1)
def load_digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's digits as load_digits() gives them: images (1797, 8, 8) in 0..16, labels."""
    data = np.loadtxt(_sklearn_file("data", "digits.csv.gz"), delimiter=",")
    return data[:, :-1].reshape(-1, 8, 8), data[:, -1].astype(int)


def translate_digits(images: np.ndarray, scale: int = DIGIT_SCALE, canvas: int = DIGIT_CANVAS,
                     seed: int = DIGIT_SEED) -> np.ndarray:
    """(N, 8, 8) digits in 0..16 -> (N, canvas, canvas) in 0..255: each digit enlarged `scale` times
    and pasted at a random offset. The same numbers as the notebook's data cell, which enlarges with
    np.kron(image, np.ones((scale, scale))); np.repeat along both axes is that, for all images at once."""
    rng = np.random.default_rng(seed)
    size = 8 * scale
    offsets = rng.integers(0, canvas - size + 1, size=(len(images), 2))
    big = np.asarray(images, dtype=np.float64).repeat(scale, axis=1).repeat(scale, axis=2) * (255 / 16)
    out = np.zeros((len(images), canvas, canvas))
    for i, (dy, dx) in enumerate(offsets):
        out[i, dy:dy + size, dx:dx + size] = big[i]
    return out


@lru_cache(maxsize=1)
def translated_digits() -> tuple[np.ndarray, np.ndarray]:
    images, labels = load_digits_arrays()
    return translate_digits(images), labels


@lru_cache(maxsize=2)
def sample_image(name: str = "china.jpg") -> np.ndarray:
    """One of scikit-learn's sample images (china.jpg, flower.jpg) decoded at a quarter of its size
    (107 x 160 x 3, uint8), which JPEG decodes fast."""
    from PIL import Image

    with Image.open(_sklearn_file("images", name)) as img:
        img.draft("RGB", (img.size[0] // 4, img.size[1] // 4))
        return np.asarray(img.convert("RGB"))


# -- the experiment: a linear classifier on features against raw pixels --------------------------------


def _vocabulary(train_patches: np.ndarray) -> np.ndarray:
    flat = train_patches.reshape(-1, train_patches.shape[-1])
    pick = np.random.default_rng(DIGIT_SEED).choice(len(flat), size=VOCABULARY_PATCHES, replace=False)
    return build_vocabulary(flat[pick], NUM_WORDS, num_iters=10, seed=DIGIT_SEED)


@lru_cache(maxsize=len(FEATURE_NAMES))
def digit_features(name: str) -> np.ndarray:
    """(1797, F) features of the translated digits by one name of FEATURE_NAMES, computed with the
    references (the grader never calls a student's feature functions here)."""
    imgs, _ = translated_digits()
    if name == "raw":
        return imgs.reshape(len(imgs), -1)
    if name == "hog":
        return hog_cells(imgs).reshape(len(imgs), -1)
    if name == "bow":
        patches = extract_patches_batch(imgs, PATCH_SIZE, PATCH_STRIDE)
        vocabulary = _vocabulary(patches[DIGIT_SPLITS["train"]])
        flat = patches.reshape(-1, patches.shape[-1])
        words = nearest_word(flat, vocabulary).reshape(patches.shape[:2])
        return (words[..., None] == np.arange(NUM_WORDS)).mean(axis=1)
    if name == "color":   # color_histogram_hsv of each digit as an RGB image (R = G = B), all at once
        h = hue(np.stack([imgs] * 3, axis=-1)).reshape(len(imgs), -1)
        edges = np.linspace(0, 255, 11)
        b = np.minimum(np.digitize(h, edges[1:-1]), 9)
        return (b[..., None] == np.arange(10)).mean(axis=1)
    raise KeyError(name)


def experiment_accuracy(names, learning_rate: float, reg: float, num_iters: int,
                        evaluate_on: str = "test") -> float:
    """Accuracy on the `evaluate_on` split of the provided trainer, trained on the training split's
    features `names` (stacked in that order)."""
    _, labels = translated_digits()
    feats = np.hstack([digit_features(n) for n in names])
    tr, te = DIGIT_SPLITS["train"], DIGIT_SPLITS[evaluate_on]
    return linear_accuracy(feats[tr], labels[tr], feats[te], labels[te], learning_rate, reg, num_iters)
