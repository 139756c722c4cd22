"""Student-style implementations of features.ipynb's functions for testing the check library: correct
ones written in different ways, and buggy ones with exactly one mistake each.

A plain module (no pytest, no grader imports): every function has the student API of
solutions/lecture3/features.ipynb.
"""

from __future__ import annotations

import colorsys
import math

import matplotlib.colors
import numpy as np

# ================================================================================================
# polar_features(points) -> (N, 2) [radius, angle]
# ================================================================================================


def polar_vectorized(points):
    x, y = points[:, 0], points[:, 1]
    return np.stack([np.sqrt(x ** 2 + y ** 2), np.arctan2(y, x)], axis=1)


def polar_complex(points):
    z = points[:, 0] + 1j * points[:, 1]
    return np.column_stack([np.abs(z), np.angle(z)])


def polar_loop(points):
    out = np.zeros((len(points), 2))
    for i, (x, y) in enumerate(points):
        out[i] = math.hypot(x, y), math.atan2(y, x)
    return out


def polar_arctan(points):
    x, y = points[:, 0], points[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.stack([np.hypot(x, y), np.arctan(y / x)], axis=1)


def polar_degrees(points):
    x, y = points[:, 0], points[:, 1]
    return np.stack([np.hypot(x, y), np.degrees(np.arctan2(y, x))], axis=1)


def polar_radius_squared(points):
    x, y = points[:, 0], points[:, 1]
    return np.stack([x ** 2 + y ** 2, np.arctan2(y, x)], axis=1)


def polar_columns_swapped(points):
    x, y = points[:, 0], points[:, 1]
    return np.stack([np.arctan2(y, x), np.hypot(x, y)], axis=1)


def polar_zero_to_two_pi(points):
    x, y = points[:, 0], points[:, 1]
    return np.stack([np.hypot(x, y), np.mod(np.arctan2(y, x), 2 * np.pi)], axis=1)


def polar_in_place(points):
    x, y = points[:, 0].copy(), points[:, 1].copy()
    points[:, 0] = np.hypot(x, y)
    points[:, 1] = np.arctan2(y, x)
    return points


def polar_returns_pair(points):
    x, y = points[:, 0], points[:, 1]
    return np.hypot(x, y), np.arctan2(y, x)


def polar_identity(points):
    """Returns the raw coordinates: no linear classifier separates the circles."""
    return points.copy()


# ================================================================================================
# color_histogram_hsv(im, nbin=10, xmin=0, xmax=255, normalized=True) -> (nbin,)
# ================================================================================================


def hist_cs231n(im, nbin=10, xmin=0, xmax=255, normalized=True):
    bins = np.linspace(xmin, xmax, nbin + 1)
    hsv = matplotlib.colors.rgb_to_hsv(im / xmax) * xmax
    imhist, bin_edges = np.histogram(hsv[:, :, 0], bins=bins, density=normalized)
    return imhist * np.diff(bin_edges)


def hist_bincount(im, nbin=10, xmin=0, xmax=255, normalized=True):
    hue = matplotlib.colors.rgb_to_hsv(im / xmax)[..., 0].ravel() * xmax
    width = (xmax - xmin) / nbin
    index = np.clip(np.floor((hue - xmin) / width).astype(int), 0, nbin - 1)
    counts = np.bincount(index, minlength=nbin).astype(float)
    return counts / counts.sum() if normalized else counts * width


def hist_colorsys(im, nbin=10, xmin=0, xmax=255, normalized=True):
    hues = [colorsys.rgb_to_hsv(*(px / xmax))[0] * xmax for px in np.asarray(im, dtype=float).reshape(-1, 3)]
    counts, edges = np.histogram(hues, bins=np.linspace(xmin, xmax, nbin + 1))
    return counts / counts.sum() if normalized else counts * np.diff(edges)


def hist_counts(im, nbin=10, xmin=0, xmax=255, normalized=True):
    hue = matplotlib.colors.rgb_to_hsv(im / xmax)[..., 0] * xmax
    return np.histogram(hue, bins=np.linspace(xmin, xmax, nbin + 1))[0].astype(float)


def hist_density_only(im, nbin=10, xmin=0, xmax=255, normalized=True):
    hue = matplotlib.colors.rgb_to_hsv(im / xmax)[..., 0] * xmax
    return np.histogram(hue, bins=np.linspace(xmin, xmax, nbin + 1), density=normalized)[0]


def hist_nbin_edges(im, nbin=10, xmin=0, xmax=255, normalized=True):
    bins = np.linspace(xmin, xmax, nbin)
    hue = matplotlib.colors.rgb_to_hsv(im / xmax)[..., 0] * xmax
    h, edges = np.histogram(hue, bins=bins, density=normalized)
    return h * np.diff(edges)


def hist_hue_not_scaled(im, nbin=10, xmin=0, xmax=255, normalized=True):
    hue = matplotlib.colors.rgb_to_hsv(im / xmax)[..., 0]
    h, edges = np.histogram(hue, bins=np.linspace(xmin, xmax, nbin + 1), density=normalized)
    return h * np.diff(edges)


def hist_value_channel(im, nbin=10, xmin=0, xmax=255, normalized=True):
    value = matplotlib.colors.rgb_to_hsv(im / xmax)[..., 2] * xmax
    h, edges = np.histogram(value, bins=np.linspace(xmin, xmax, nbin + 1), density=normalized)
    return h * np.diff(edges)


def hist_auto_bins(im, nbin=10, xmin=0, xmax=255, normalized=True):
    hue = matplotlib.colors.rgb_to_hsv(im / xmax)[..., 0] * xmax
    h, edges = np.histogram(hue, bins=nbin, density=normalized)
    return h * np.diff(edges)


def hist_fixed_255(im, nbin=10, xmin=0, xmax=255, normalized=True):
    hue = matplotlib.colors.rgb_to_hsv(np.clip(im / 255, 0, 1))[..., 0] * 255
    h, edges = np.histogram(hue, bins=np.linspace(0, 255, nbin + 1), density=normalized)
    return h * np.diff(edges)


def hist_in_place(im, nbin=10, xmin=0, xmax=255, normalized=True):
    im /= xmax
    hue = matplotlib.colors.rgb_to_hsv(im)[..., 0] * xmax
    h, edges = np.histogram(hue, bins=np.linspace(xmin, xmax, nbin + 1), density=normalized)
    return h * np.diff(edges)


def hist_returns_tuple(im, nbin=10, xmin=0, xmax=255, normalized=True):
    hue = matplotlib.colors.rgb_to_hsv(im / xmax)[..., 0] * xmax
    return np.histogram(hue, bins=np.linspace(xmin, xmax, nbin + 1), density=normalized)


# ================================================================================================
# hog_feature(im) -> (n_cells_y * n_cells_x * 9,)
# ================================================================================================


def _gray(im, blue=0.114):
    return np.dot(im[..., :3], [0.299, 0.587, blue]) if im.ndim == 3 else np.asarray(im, dtype=float)


def _gradients(image):
    gx = np.zeros(image.shape)
    gy = np.zeros(image.shape)
    gx[:, :-1] = np.diff(image, n=1, axis=1)
    gy[:-1, :] = np.diff(image, n=1, axis=0)
    return gx, gy


def _cells(mag, ori, nbins=9, span=180.0, per_cell_sum=False):
    h, w = mag.shape
    ny, nx = h // 8, w // 8
    b = np.minimum((ori // (span / nbins)).astype(int), nbins - 1)
    out = np.zeros((ny, nx, nbins))
    for cy in range(ny):
        for cx in range(nx):
            m = mag[8 * cy:8 * cy + 8, 8 * cx:8 * cx + 8].ravel()
            bb = b[8 * cy:8 * cy + 8, 8 * cx:8 * cx + 8].ravel()
            out[cy, cx] = np.bincount(bb, weights=m, minlength=nbins) / (1 if per_cell_sum else 64)
    return out.ravel()


def hog_reshape(im):
    """Vectorized: one-hot bins times magnitude, cells by reshape and mean."""
    image = _gray(im)
    gx, gy = _gradients(image)
    mag = np.sqrt(gx ** 2 + gy ** 2)
    ori = (np.degrees(np.arctan2(gy, gx)) + 90) % 180
    b = np.minimum((ori // 20).astype(int), 8)
    h, w = image.shape
    ny, nx = h // 8, w // 8
    votes = (b[..., None] == np.arange(9)) * mag[..., None]
    return votes[:ny * 8, :nx * 8].reshape(ny, 8, nx, 8, 9).mean(axis=(1, 3)).ravel()


def hog_loops(im):
    """Pixel loops with math.atan2."""
    image = _gray(im)
    h, w = image.shape
    ny, nx = h // 8, w // 8
    hist = np.zeros((ny, nx, 9))
    for i in range(ny * 8):
        for j in range(nx * 8):
            gx = image[i, j + 1] - image[i, j] if j + 1 < w else 0.0
            gy = image[i + 1, j] - image[i, j] if i + 1 < h else 0.0
            angle = (math.degrees(math.atan2(gy, gx)) + 90) % 180
            hist[i // 8, j // 8, min(int(angle // 20), 8)] += math.sqrt(gx * gx + gy * gy) / 64
    return hist.ravel()


def hog_uniform_filter(im):
    """CS231n's structure (uniform_filter sampled at the cell centres, arctan2(gy, gx + 1e-15)), with the
    orientation folded into [0, 180), gray weights 0.114, and the cells in row-major order (no .T)."""
    from scipy.ndimage import uniform_filter

    image = _gray(im)
    sx, sy = image.shape
    gx, gy = _gradients(image)
    grad_mag = np.sqrt(gx ** 2 + gy ** 2)
    grad_ori = (np.arctan2(gy, (gx + 1e-15)) * (180 / np.pi) + 90) % 180
    n_cellsx, n_cellsy = sx // 8, sy // 8
    hist = np.zeros((n_cellsx, n_cellsy, 9))
    for i in range(9):
        temp = np.where((grad_ori >= 20 * i) & (grad_ori < 20 * (i + 1)), grad_mag, 0)
        hist[:, :, i] = uniform_filter(temp, size=(8, 8))[4::8, 4::8][:n_cellsx, :n_cellsy]
    return hist.ravel()


def hog_cs231n_transposed_cells(im):
    """The cells in CS231n's order (its `.T`): (n_cells_x, n_cells_y, 9)."""
    h, w = im.shape[:2]
    return hog_reshape(im).reshape(h // 8, w // 8, 9).transpose(1, 0, 2).ravel()


def hog_cs231n_square_only(im):
    """CS231n's uniform_filter code, folded and with 0.114, but keeping its `.T`: it fits square images only."""
    from scipy.ndimage import uniform_filter

    image = _gray(im)
    sx, sy = image.shape
    gx, gy = _gradients(image)
    grad_mag = np.sqrt(gx ** 2 + gy ** 2)
    grad_ori = (np.arctan2(gy, (gx + 1e-15)) * (180 / np.pi) + 90) % 180
    hist = np.zeros((sx // 8, sy // 8, 9))
    for i in range(9):
        temp = np.where((grad_ori >= 20 * i) & (grad_ori < 20 * (i + 1)), grad_mag, 0)
        hist[:, :, i] = uniform_filter(temp, size=(8, 8))[4::8, 4::8].T
    return hist.ravel()


def hog_gray_0144(im):
    image = _gray(im, blue=0.144)
    gx, gy = _gradients(image)
    return _cells(np.sqrt(gx ** 2 + gy ** 2), (np.degrees(np.arctan2(gy, gx)) + 90) % 180)


def hog_radians(im):
    image = _gray(im)
    gx, gy = _gradients(image)
    return _cells(np.sqrt(gx ** 2 + gy ** 2), (np.arctan2(gy, gx) + 90) % 180)


def hog_signed(im):
    """Signed orientation in [0, 360), 9 bins of 40 degrees."""
    image = _gray(im)
    gx, gy = _gradients(image)
    return _cells(np.sqrt(gx ** 2 + gy ** 2), np.degrees(np.arctan2(gy, gx)) % 360, span=360.0)


def hog_signed_shifted(im):
    """Signed orientation in [-180, 180) shifted by 180, 9 bins of 40 degrees."""
    image = _gray(im)
    gx, gy = _gradients(image)
    return _cells(np.sqrt(gx ** 2 + gy ** 2), np.degrees(np.arctan2(gy, gx)) + 180, span=360.0)


def hog_not_folded(im):
    """CS231n's original orientation code: + 90 without folding, so gradients with gx < 0 are dropped."""
    image = _gray(im)
    gx, gy = _gradients(image)
    mag = np.sqrt(gx ** 2 + gy ** 2)
    ori = np.arctan2(gy, gx + 1e-15) * (180 / np.pi) + 90
    keep = (ori > 0) & (ori < 180)
    return _cells(np.where(keep, mag, 0.0), np.where(keep, ori, 0.0))


def hog_cell_sum(im):
    image = _gray(im)
    gx, gy = _gradients(image)
    return _cells(np.sqrt(gx ** 2 + gy ** 2), (np.degrees(np.arctan2(gy, gx)) + 90) % 180, per_cell_sum=True)


def hog_magnitude_squared(im):
    image = _gray(im)
    gx, gy = _gradients(image)
    return _cells(gx ** 2 + gy ** 2, (np.degrees(np.arctan2(gy, gx)) + 90) % 180)


def hog_swapped_gradients(im):
    image = _gray(im)
    gy, gx = _gradients(image)
    return _cells(np.sqrt(gx ** 2 + gy ** 2), (np.degrees(np.arctan2(gy, gx)) + 90) % 180)


def hog_not_flat(im):
    h, w = im.shape[:2]
    return hog_reshape(im).reshape(h // 8, w // 8, 9)


def hog_in_place(im):
    if im.ndim == 2:
        im -= im.mean()          # "normalize" the caller's image
    return hog_reshape(im)


# ================================================================================================
# build_vocabulary(patches, k, num_iters=10, seed=0) -> (k, P)
# ================================================================================================


def vocab_expanded(patches, k, num_iters=10, seed=0):
    rng = np.random.default_rng(seed)
    words = patches[rng.choice(len(patches), size=k, replace=False)].astype(float)
    for _ in range(num_iters):
        d = np.sum(patches ** 2, axis=1)[:, None] - 2 * patches @ words.T + np.sum(words ** 2, axis=1)
        assign = np.argmin(d, axis=1)
        for j in range(k):
            if np.any(assign == j):
                words[j] = patches[assign == j].mean(axis=0)
    return words


def vocab_broadcast(patches, k, num_iters=10, seed=0):
    """Distances by broadcasting (M, 1, P) - (1, k, P); update with np.add.at."""
    rng = np.random.default_rng(seed)
    idx = rng.choice(patches.shape[0], size=k, replace=False)
    words = np.array(patches[idx], dtype=float)
    for _ in range(num_iters):
        assign = ((patches[:, None, :] - words[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
        sums = np.zeros_like(words)
        np.add.at(sums, assign, patches)
        counts = np.bincount(assign, minlength=k)
        words = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], words)
    return words


def vocab_loops(patches, k, num_iters=10, seed=0):
    rng = np.random.default_rng(seed)
    words = [patches[i].astype(float) for i in rng.choice(len(patches), size=k, replace=False)]
    for _ in range(num_iters):
        groups = [[] for _ in range(k)]
        for p in patches:
            dists = [float(np.sum((p - w) ** 2)) for w in words]
            groups[int(np.argmin(dists))].append(p)
        words = [np.mean(g, axis=0) if g else w for g, w in zip(groups, words)]
    return np.array(words)


def vocab_sum_update(patches, k, num_iters=10, seed=0):
    rng = np.random.default_rng(seed)
    words = patches[rng.choice(len(patches), size=k, replace=False)].astype(float)
    for _ in range(num_iters):
        assign = ((patches[:, None, :] - words[None]) ** 2).sum(-1).argmin(1)
        for j in range(k):
            if np.any(assign == j):
                words[j] = patches[assign == j].sum(axis=0)
    return words


def vocab_dot_product(patches, k, num_iters=10, seed=0):
    rng = np.random.default_rng(seed)
    words = patches[rng.choice(len(patches), size=k, replace=False)].astype(float)
    for _ in range(num_iters):
        assign = np.argmax(patches @ words.T, axis=1)
        for j in range(k):
            if np.any(assign == j):
                words[j] = patches[assign == j].mean(axis=0)
    return words


def vocab_never_updates(patches, k, num_iters=10, seed=0):
    rng = np.random.default_rng(seed)
    return patches[rng.choice(len(patches), size=k, replace=False)].astype(float)


def vocab_empty_nan(patches, k, num_iters=10, seed=0):
    import warnings

    rng = np.random.default_rng(seed)
    words = patches[rng.choice(len(patches), size=k, replace=False)].astype(float)
    for _ in range(num_iters):
        assign = ((patches[:, None, :] - words[None]) ** 2).sum(-1).argmin(1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with np.errstate(all="ignore"):
                words = np.array([patches[assign == j].mean(axis=0) for j in range(k)])
    return words


def vocab_first_k(patches, k, num_iters=10, seed=0):
    words = patches[:k].astype(float)
    for _ in range(num_iters):
        assign = ((patches[:, None, :] - words[None]) ** 2).sum(-1).argmin(1)
        for j in range(k):
            if np.any(assign == j):
                words[j] = patches[assign == j].mean(axis=0)
    return words


def vocab_unseeded(patches, k, num_iters=10, seed=0):
    words = patches[np.random.choice(len(patches), size=k, replace=False)].astype(float)
    for _ in range(num_iters):
        assign = ((patches[:, None, :] - words[None]) ** 2).sum(-1).argmin(1)
        for j in range(k):
            if np.any(assign == j):
                words[j] = patches[assign == j].mean(axis=0)
    return words


def vocab_slice_view(patches, k, num_iters=10, seed=0):
    """Starts from the first k patches as a view (not a copy): the update writes into `patches`."""
    words = patches[:k]
    for _ in range(num_iters):
        assign = ((patches[:, None, :] - words[None]) ** 2).sum(-1).argmin(1)
        for j in range(k):
            if np.any(assign == j):
                words[j] = patches[assign == j].mean(axis=0)
    return words


# ================================================================================================
# bow_histogram(patches, vocabulary) -> (k,)
# ================================================================================================


def bow_expanded(patches, vocabulary):
    d = np.sum(patches ** 2, axis=1)[:, None] - 2 * patches @ vocabulary.T + np.sum(vocabulary ** 2, axis=1)
    return np.bincount(np.argmin(d, axis=1), minlength=len(vocabulary)) / len(patches)


def bow_broadcast(patches, vocabulary):
    d = ((patches[:, None, :] - vocabulary[None]) ** 2).sum(axis=2)
    hist = np.zeros(len(vocabulary))
    for j in d.argmin(axis=1):
        hist[j] += 1
    return hist / hist.sum()


def bow_histogram_fn(patches, vocabulary):
    d = np.linalg.norm(patches[:, None, :] - vocabulary[None], axis=2)
    k = len(vocabulary)
    return np.histogram(d.argmin(axis=1), bins=np.arange(k + 1))[0] / len(patches)


def bow_counts(patches, vocabulary):
    d = ((patches[:, None, :] - vocabulary[None]) ** 2).sum(axis=2)
    return np.bincount(d.argmin(axis=1), minlength=len(vocabulary)).astype(float)


def bow_dot_product(patches, vocabulary):
    return np.bincount(np.argmax(patches @ vocabulary.T, axis=1), minlength=len(vocabulary)) / len(patches)


def bow_farthest(patches, vocabulary):
    d = ((patches[:, None, :] - vocabulary[None]) ** 2).sum(axis=2)
    return np.bincount(d.argmax(axis=1), minlength=len(vocabulary)) / len(patches)


def bow_divided_by_k(patches, vocabulary):
    d = ((patches[:, None, :] - vocabulary[None]) ** 2).sum(axis=2)
    return np.bincount(d.argmin(axis=1), minlength=len(vocabulary)) / len(vocabulary)


def bow_no_minlength(patches, vocabulary):
    d = ((patches[:, None, :] - vocabulary[None]) ** 2).sum(axis=2)
    return np.bincount(d.argmin(axis=1)) / len(patches)


def bow_in_place(patches, vocabulary):
    patches -= vocabulary.mean(axis=0)        # "centre" the patches, in the caller's array
    vocabulary = vocabulary - vocabulary.mean(axis=0)
    d = ((patches[:, None, :] - vocabulary[None]) ** 2).sum(axis=2)
    return np.bincount(d.argmin(axis=1), minlength=len(vocabulary)) / len(patches)


# ================================================================================================
# extract_features(imgs, feature_fns) -> (N, F_total)
# ================================================================================================


def extract_cs231n(imgs, feature_fns, verbose=False):
    num_images = imgs.shape[0]
    if num_images == 0:
        return np.array([])
    feature_dims = []
    first_image_features = []
    for feature_fn in feature_fns:
        feats = feature_fn(imgs[0].squeeze())
        assert len(feats.shape) == 1, "Feature functions must be one-dimensional"
        feature_dims.append(feats.size)
        first_image_features.append(feats)
    imgs_features = np.zeros((num_images, sum(feature_dims)))
    imgs_features[0] = np.hstack(first_image_features).T
    for i in range(1, num_images):
        idx = 0
        for feature_fn, feature_dim in zip(feature_fns, feature_dims):
            next_idx = idx + feature_dim
            imgs_features[i, idx:next_idx] = feature_fn(imgs[i].squeeze())
            idx = next_idx
    return imgs_features


def extract_list_hstack(imgs, feature_fns):
    return np.vstack([np.hstack([f(im) for f in feature_fns]) for im in imgs])


def extract_concatenate_blocks(imgs, feature_fns):
    blocks = [np.array([f(im) for im in imgs]) for f in feature_fns]
    return np.concatenate(blocks, axis=1)


def extract_vertical(imgs, feature_fns):
    blocks = [np.array([f(im) for im in imgs]) for f in feature_fns]
    return np.vstack([b.reshape(len(imgs), -1) for b in blocks]) if len(blocks) > 1 else blocks[0]


def extract_reversed(imgs, feature_fns):
    return np.array([np.hstack([f(im) for f in reversed(feature_fns)]) for im in imgs])


def extract_transposed(imgs, feature_fns):
    return np.array([np.hstack([f(im) for f in feature_fns]) for im in imgs]).T


def extract_first_image_only(imgs, feature_fns):
    first = np.hstack([f(imgs[0]) for f in feature_fns])
    return np.tile(first, (len(imgs), 1))


def extract_flat(imgs, feature_fns):
    return np.concatenate([np.hstack([f(im) for f in feature_fns]) for im in imgs])


def extract_in_place(imgs, feature_fns):
    imgs /= 255.0            # "normalize" the caller's images
    return np.array([np.hstack([f(im * 255.0) for f in feature_fns]) for im in imgs])


# ================================================================================================
# answers that ignore their inputs (DESIGN.md principle 10): each must score 0 on every cell
# ================================================================================================


def _cells_of(im):
    return (im.shape[0] // 8) * (im.shape[1] // 8) * 9


def polar_zeros(points):
    return np.zeros((len(points), 2))


def polar_constant(points):
    return np.tile([1.0, 0.0], (len(points), 1))


def polar_echo(points):
    return points.copy()


def polar_random(points):
    rng = np.random.default_rng(1)
    return np.stack([rng.uniform(0, 3, len(points)), rng.uniform(-np.pi, np.pi, len(points))], axis=1)


def hist_zeros(im, nbin=10, xmin=0, xmax=255, normalized=True):
    return np.zeros(nbin)


def hist_uniform(im, nbin=10, xmin=0, xmax=255, normalized=True):
    return np.full(nbin, 1.0 / nbin)


def hist_first_bin(im, nbin=10, xmin=0, xmax=255, normalized=True):
    return np.eye(nbin)[0]


def hist_random(im, nbin=10, xmin=0, xmax=255, normalized=True):
    counts = np.bincount(np.random.default_rng(1).integers(0, nbin, 50), minlength=nbin)
    return counts / counts.sum()


def hist_random_unseeded(im, nbin=10, xmin=0, xmax=255, normalized=True):
    """Random fractions of the pixels, different on every call."""
    pixels = im.shape[0] * im.shape[1]
    return np.bincount(np.random.randint(0, nbin, pixels), minlength=nbin) / pixels


def hog_zeros(im):
    return np.zeros(_cells_of(im))


def hog_constant(im):
    return np.full(_cells_of(im), 0.5)


def hog_echo(im):
    return np.resize(np.ravel(im).astype(float), _cells_of(im))


def hog_random(im):
    return np.random.default_rng(1).uniform(0, 5, _cells_of(im))


def vocab_zeros(patches, k, num_iters=10, seed=0):
    return np.zeros((k, patches.shape[1]))


def vocab_overall_mean(patches, k, num_iters=10, seed=0):
    """Every word is the mean of all patches: k = 1 and cluster-mean criteria hold, nothing is clustered."""
    return np.tile(patches.mean(axis=0), (k, 1))


def vocab_echo(patches, k, num_iters=10, seed=0):
    return patches[:k].astype(float)


def vocab_random(patches, k, num_iters=10, seed=0):
    return np.random.default_rng(seed).uniform(patches.min(), patches.max(), (k, patches.shape[1]))


def bow_zeros(patches, vocabulary):
    return np.zeros(len(vocabulary))


def bow_uniform(patches, vocabulary):
    return np.full(len(vocabulary), 1.0 / len(vocabulary))


def bow_first_word(patches, vocabulary):
    return np.eye(len(vocabulary))[0]


def bow_random(patches, vocabulary):
    rng = np.random.default_rng(1)
    return np.bincount(rng.integers(0, len(vocabulary), len(patches)), minlength=len(vocabulary)) / len(patches)


def _total_features(imgs, feature_fns):
    return sum(np.ravel(f(imgs[0])).size for f in feature_fns)


def extract_zeros(imgs, feature_fns):
    return np.zeros((len(imgs), _total_features(imgs, feature_fns)))


def extract_constant(imgs, feature_fns):
    return np.ones((len(imgs), _total_features(imgs, feature_fns)))


def extract_echo(imgs, feature_fns):
    total = _total_features(imgs, feature_fns)
    return np.array([np.resize(np.ravel(im).astype(float), total) for im in imgs])


def extract_random(imgs, feature_fns):
    return np.random.default_rng(1).uniform(0, 255, (len(imgs), _total_features(imgs, feature_fns)))


def stub1(*args, **kwargs):
    raise NotImplementedError()
