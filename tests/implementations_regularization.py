"""Student-style implementations of the regularization notebook's API for testing its checks:
correct variants written in different ways, and realistic buggy ones with exactly one mistake each.

A plain module (no pytest, no grader imports): every function has the student API of
solutions/lecture3/regularization.ipynb.
"""

from __future__ import annotations

import numpy as np

# ================================================================================================
# l2_regularization(W, reg) -> (R, dR)
# ================================================================================================


def l2_sum_of_squares(W, reg):
    return reg * np.sum(W * W), 2 * reg * W


def l2_vdot(W, reg):
    return float(reg * np.vdot(W, W)), 2.0 * reg * np.array(W)


def l2_norm_squared(W, reg):
    return reg * np.linalg.norm(W) ** 2, reg * (W + W)


def l2_loops(W, reg):
    flat = np.asarray(W, dtype=float).ravel()
    total = 0.0
    for w in flat:
        total += w * w
    return reg * total, (2 * reg * flat).reshape(np.shape(W))


def l2_grad_reg_w(W, reg):
    return reg * np.sum(W * W), reg * W


def l2_norm_not_squared(W, reg):
    return reg * np.linalg.norm(W), 2 * reg * W


def l2_missing_reg(W, reg):
    return np.sum(W * W), 2 * reg * W


def l2_half(W, reg):
    """The older 0.5 * reg convention with gradient reg * W."""
    return 0.5 * reg * np.sum(W * W), reg * W


def l2_sum_not_squared(W, reg):
    return reg * np.sum(W), 2 * reg * W


def l2_grad_missing_reg(W, reg):
    return reg * np.sum(W * W), 2 * W


def l2_mutates_W(W, reg):
    """Builds dR by scaling W in place: right numbers, caller's W changed."""
    R = reg * np.sum(W * W)
    W *= 2 * reg
    return R, W


def l2_sum_axis0(W, reg):
    """Sums over one axis only: R is a vector for a 2-D W."""
    return reg * np.sum(W * W, axis=0), 2 * reg * W


# ================================================================================================
# l1_regularization(W, reg) -> (R, dR)
# ================================================================================================


def l1_abs_sign(W, reg):
    return reg * np.sum(np.abs(W)), reg * np.sign(W)


def l1_copysign(W, reg):
    W = np.asarray(W, dtype=float)
    return float(reg * np.abs(W).sum()), np.where(W == 0, 0.0, np.copysign(reg, W))


def l1_masks(W, reg):
    dR = np.zeros_like(W, dtype=float)
    dR[W > 0] = reg
    dR[W < 0] = -reg
    return reg * np.linalg.norm(np.ravel(W), 1), dR


def l1_no_abs(W, reg):
    return reg * np.sum(W), reg * np.sign(W)


def l1_grad_reg_w(W, reg):
    return reg * np.sum(np.abs(W)), reg * W


def l1_grad_one_at_zero(W, reg):
    return reg * np.sum(np.abs(W)), reg * np.where(W >= 0, 1.0, -1.0)


def l1_grad_missing_reg(W, reg):
    return reg * np.sum(np.abs(W)), np.sign(W)


def l1_missing_reg(W, reg):
    return np.sum(np.abs(W)), reg * np.sign(W)


def l1_smooth_abs(W, reg):
    """|w| smoothed as sqrt(w^2 + 1e-8): right to 1e-8 away from 0, but R(0) is not 0."""
    S = np.sqrt(W * W + 1e-8)
    return reg * np.sum(S), reg * W / S


def l1_grad_ones(W, reg):
    return reg * np.sum(np.abs(W)), reg * np.ones_like(W)


# ================================================================================================
# elastic_net_regularization(W, reg, l1_ratio=0.5) -> (R, dR)
# ================================================================================================


def l1_regularization(W, reg):
    """A wrong L1 in the module's namespace: elastic nets that call it must be graded with the reference."""
    return reg * np.sum(W), reg * W


def l2_regularization(W, reg):
    """A wrong L2 in the module's namespace (see l1_regularization)."""
    return reg * np.linalg.norm(W), reg * W


def elastic_calls_helpers(W, reg, l1_ratio=0.5):
    """Builds on l1_regularization and l2_regularization, which are wrong in this module: the grader
    must hand it the references."""
    R1, dR1 = l1_regularization(W, reg)
    R2, dR2 = l2_regularization(W, reg)
    return l1_ratio * R1 + (1 - l1_ratio) * R2, l1_ratio * dR1 + (1 - l1_ratio) * dR2


def elastic_direct(W, reg, l1_ratio=0.5):
    R = reg * (l1_ratio * np.sum(np.abs(W)) + (1 - l1_ratio) * np.sum(W * W))
    dR = reg * (l1_ratio * np.sign(W) + 2 * (1 - l1_ratio) * W)
    return R, dR


def elastic_pieces(W, reg, l1_ratio=0.5):
    a, b = l1_abs_sign(W, reg), l2_vdot(W, reg)
    return l1_ratio * a[0] + (1.0 - l1_ratio) * b[0], np.add(l1_ratio * a[1], (1.0 - l1_ratio) * b[1])


def elastic_swapped(W, reg, l1_ratio=0.5):
    R = reg * ((1 - l1_ratio) * np.sum(np.abs(W)) + l1_ratio * np.sum(W * W))
    dR = reg * ((1 - l1_ratio) * np.sign(W) + 2 * l1_ratio * W)
    return R, dR


def elastic_unweighted(W, reg, l1_ratio=0.5):
    return reg * (np.sum(np.abs(W)) + np.sum(W * W)), reg * (np.sign(W) + 2 * W)


def elastic_ignores_ratio(W, reg, l1_ratio=0.5):
    return elastic_direct(W, reg, 0.5)


def elastic_default_ratio_wrong(W, reg, l1_ratio=0.15):
    """scikit-learn's SGD default l1_ratio 0.15 instead of the documented 0.5."""
    return elastic_direct(W, reg, l1_ratio)


def elastic_grad_l2_factor(W, reg, l1_ratio=0.5):
    R = reg * (l1_ratio * np.sum(np.abs(W)) + (1 - l1_ratio) * np.sum(W * W))
    return R, reg * (l1_ratio * np.sign(W) + (1 - l1_ratio) * W)


# ================================================================================================
# regularized_loss(data_loss_fn, regularizer, W, X, y, reg) -> (loss, dW)
# ================================================================================================


def rloss_plain(data_loss_fn, regularizer, W, X, y, reg):
    data_loss, dW = data_loss_fn(W, X, y)
    R, dR = regularizer(W, reg)
    return data_loss + R, dW + dR


def rloss_keywords(data_loss_fn, regularizer, W, X, y, reg):
    parts = [data_loss_fn(W=W, X=X, y=y), regularizer(W, reg=reg)]
    return sum(p[0] for p in parts), np.sum([p[1] for p in parts], axis=0)


def rloss_reg_twice(data_loss_fn, regularizer, W, X, y, reg):
    data_loss, dW = data_loss_fn(W, X, y)
    R, dR = regularizer(W, reg)
    loss = data_loss + R
    dW = dW + dR
    loss += R
    return loss, dW


def rloss_drops_dR(data_loss_fn, regularizer, W, X, y, reg):
    data_loss, dW = data_loss_fn(W, X, y)
    R, _ = regularizer(W, reg)
    return data_loss + R, dW


def rloss_passes_reg(data_loss_fn, regularizer, W, X, y, reg):
    data_loss, dW = data_loss_fn(W, X, y, reg)
    R, dR = regularizer(W, reg)
    return data_loss + R, dW + dR


def rloss_own_l2(data_loss_fn, regularizer, W, X, y, reg):
    """Ignores the regularizer it is given and always adds L2."""
    data_loss, dW = data_loss_fn(W, X, y)
    return data_loss + reg * np.sum(W * W), dW + 2 * reg * W


def rloss_in_place(data_loss_fn, regularizer, W, X, y, reg):
    """Adds dR into the array the data loss returned: fine, that array is its own."""
    data_loss, dW = data_loss_fn(W, X, y)
    R, dR = regularizer(W, reg)
    dW += dR
    return data_loss + R, dW


# ================================================================================================
# fit_polynomial_ridge(x, y, degree, lam) -> (degree + 1,)
# ================================================================================================


def ridge_solve(x, y, degree, lam):
    A = np.vander(x, degree + 1, increasing=True)
    return np.linalg.solve(A.T @ A + lam * np.eye(degree + 1), A.T @ y)


def ridge_lstsq_augmented(x, y, degree, lam):
    A = np.column_stack([x ** k for k in range(degree + 1)])
    A_aug = np.vstack([A, np.sqrt(lam) * np.eye(degree + 1)])
    y_aug = np.concatenate([y, np.zeros(degree + 1)])
    return np.linalg.lstsq(A_aug, y_aug, rcond=None)[0]


def ridge_inverse(x, y, degree, lam):
    A = x[:, None] ** np.arange(degree + 1)
    return np.linalg.inv(A.T.dot(A) + lam * np.identity(degree + 1)).dot(A.T).dot(y)


def ridge_vander_decreasing(x, y, degree, lam):
    A = np.vander(x, degree + 1)
    return np.linalg.solve(A.T @ A + lam * np.eye(degree + 1), A.T @ y)


def ridge_lam_every_entry(x, y, degree, lam):
    A = np.vander(x, degree + 1, increasing=True)
    return np.linalg.solve(A.T @ A + lam, A.T @ y)


def ridge_ignores_lam(x, y, degree, lam):
    A = np.vander(x, degree + 1, increasing=True)
    return np.linalg.lstsq(A, y, rcond=None)[0]


def ridge_mean_loss(x, y, degree, lam):
    A = np.vander(x, degree + 1, increasing=True)
    return np.linalg.solve(A.T @ A / len(x) + lam * np.eye(degree + 1), A.T @ y / len(x))


def ridge_degree_columns(x, y, degree, lam):
    """degree columns x^0 .. x^(degree - 1) instead of degree + 1."""
    A = np.vander(x, degree, increasing=True)
    return np.linalg.solve(A.T @ A + lam * np.eye(degree), A.T @ y)


def ridge_column_vector(x, y, degree, lam):
    return ridge_solve(x, y, degree, lam)[:, None]


def ridge_sorts_in_place(x, y, degree, lam):
    """Sorts the data in place first (for plotting): same fit, caller's arrays reordered."""
    order = np.argsort(x)
    x[:], y[:] = x[order], y[order]
    return ridge_solve(x, y, degree, lam)


# ================================================================================================
# Stubs
# ================================================================================================


def stub_regularizer(W, reg):
    raise NotImplementedError()


def stub_elastic(W, reg, l1_ratio=0.5):
    raise NotImplementedError()


def stub_rloss(data_loss_fn, regularizer, W, X, y, reg):
    raise NotImplementedError()


def stub_ridge(x, y, degree, lam):
    raise NotImplementedError()


# ================================================================================================
# Answers that ignore their inputs (DESIGN.md principle 10): each must score 0 on every cell
# ================================================================================================


def regularizer_zeros(W, reg):
    return 0.0, np.zeros_like(W)


def regularizer_constant(W, reg):
    return 1.0, np.ones_like(W)


def regularizer_echo(W, reg):
    return reg, W.copy()


def regularizer_random(W, reg):
    rng = np.random.default_rng(0)
    return float(rng.random()), rng.standard_normal(np.shape(W))


def elastic_zeros(W, reg, l1_ratio=0.5):
    return 0.0, np.zeros_like(W)


def elastic_constant(W, reg, l1_ratio=0.5):
    return 1.0, np.ones_like(W)


def elastic_echo(W, reg, l1_ratio=0.5):
    return l1_ratio * reg, W.copy()


def elastic_random(W, reg, l1_ratio=0.5):
    rng = np.random.default_rng(0)
    return float(rng.random()), rng.standard_normal(np.shape(W))


def rloss_zeros(data_loss_fn, regularizer, W, X, y, reg):
    return 0.0, np.zeros_like(W)


def rloss_constant(data_loss_fn, regularizer, W, X, y, reg):
    return 1.0, np.ones_like(W)


def rloss_echo(data_loss_fn, regularizer, W, X, y, reg):
    return reg, W.copy()


def rloss_random(data_loss_fn, regularizer, W, X, y, reg):
    rng = np.random.default_rng(0)
    return float(rng.random()), rng.standard_normal(W.shape)


def ridge_zeros(x, y, degree, lam):
    return np.zeros(degree + 1)


def ridge_constant(x, y, degree, lam):
    return np.ones(degree + 1)


def ridge_echo(x, y, degree, lam):
    return np.resize(np.asarray(y, dtype=float), degree + 1)


def ridge_random(x, y, degree, lam):
    return np.random.default_rng(0).standard_normal(degree + 1)
