"""Student-style implementations of the gradients notebook's functions, for testing its checks:
correct variants written in different ways, and realistic buggy ones with exactly one mistake each.

A plain module (no pytest, no grader imports): every function has the student API of
solutions/lecture3/gradients.ipynb.
"""

from __future__ import annotations

import numpy as np

# ================================================================================================
# eval_numerical_gradient(f, x, h=1e-5) -> array of x's shape
# ================================================================================================


def numgrad_nditer(f, x, h=1e-5):
    """CS231n's loop."""
    grad = np.zeros(x.shape)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        old = x[ix]
        x[ix] = old + h
        fxph = f(x)
        x[ix] = old - h
        fxmh = f(x)
        x[ix] = old
        grad[ix] = (fxph - fxmh) / (2 * h)
        it.iternext()
    return grad


def numgrad_ndindex(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for ix in np.ndindex(*x.shape):
        old = x[ix]
        x[ix] = old + h
        plus = f(x)
        x[ix] = old - h
        minus = f(x)
        x[ix] = old
        grad[ix] = (plus - minus) / (2 * h)
    return grad


def numgrad_flat(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in range(x.size):
        old = x.flat[i]
        x.flat[i] = old + h
        plus = f(x)
        x.flat[i] = old - h
        minus = f(x)
        x.flat[i] = old
        grad.flat[i] = (plus - minus) / (2 * h)
    return grad


def numgrad_copies(f, x, h=1e-5):
    """Never touches x: a perturbed copy per evaluation."""
    grad = np.zeros(x.shape)
    for ix in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[ix] += h
        xm[ix] -= h
        grad[ix] = (f(xp) - f(xm)) / (2 * h)
    return grad


def numgrad_evaluates_fx_once(f, x, h=1e-5):
    """Evaluates f(x) once up front (unused): 2 * size + 1 calls, accepted."""
    fx = f(x)  # noqa: F841
    return numgrad_nditer(f, x, h)


def numgrad_forward(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    fx = f(x)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        x[ix] = old + h
        grad[ix] = (f(x) - fx) / h
        x[ix] = old
    return grad


def numgrad_divides_by_h(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        x[ix] = old + h
        plus = f(x)
        x[ix] = old - h
        minus = f(x)
        x[ix] = old
        grad[ix] = (plus - minus) / h
    return grad


def numgrad_precedence(f, x, h=1e-5):
    """`/ 2 * h` instead of `/ (2 * h)`."""
    grad = np.zeros(x.shape)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        x[ix] = old + h
        plus = f(x)
        x[ix] = old - h
        minus = f(x)
        x[ix] = old
        grad[ix] = (plus - minus) / 2 * h
    return grad


def numgrad_wrong_sign(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        x[ix] = old + h
        plus = f(x)
        x[ix] = old - h
        minus = f(x)
        x[ix] = old
        grad[ix] = (minus - plus) / (2 * h)
    return grad


def numgrad_restores_plus_h(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        x[ix] = old + h
        plus = f(x)
        x[ix] = old - h
        minus = f(x)
        x[ix] = old + h          # "restore" typo
        grad[ix] = (plus - minus) / (2 * h)
    return grad


def numgrad_never_restores(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for ix in np.ndindex(x.shape):
        x[ix] += h
        plus = f(x)
        x[ix] -= 2 * h
        minus = f(x)
        grad[ix] = (plus - minus) / (2 * h)
    return grad


def numgrad_restores_by_adding(f, x, h=1e-5):
    """x[ix] += h; x[ix] -= 2h; x[ix] += h: back to within rounding, not exactly."""
    grad = np.zeros(x.shape)
    for ix in np.ndindex(x.shape):
        x[ix] += h
        plus = f(x)
        x[ix] -= 2 * h
        minus = f(x)
        x[ix] += h
        grad[ix] = (plus - minus) / (2 * h)
    return grad


def numgrad_flat_shape(f, x, h=1e-5):
    flat = x.reshape(-1)   # a view for C-contiguous x
    grad = np.zeros(x.size)
    for i in range(x.size):
        old = flat[i]
        flat[i] = old + h
        plus = f(x)
        flat[i] = old - h
        minus = f(x)
        flat[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad


def numgrad_ignores_h(f, x, h=1e-5):
    return numgrad_nditer(f, x)     # h never passed on


def numgrad_wasteful(f, x, h=1e-5):
    """Evaluates f(x) at every entry as well (3 per entry); otherwise correct."""
    grad = np.zeros(x.shape)
    for ix in np.ndindex(x.shape):
        f(x)
        old = x[ix]
        x[ix] = old + h
        plus = f(x)
        x[ix] = old - h
        minus = f(x)
        x[ix] = old
        grad[ix] = (plus - minus) / (2 * h)
    return grad


def numgrad_returns_x(f, x, h=1e-5):
    """Writes the gradient into x itself, after the loop: correct values, but x is destroyed."""
    grad = numgrad_nditer(f, x, h)
    x[...] = grad
    return x


def numgrad_int_grad(f, x, h=1e-5):
    grad = np.zeros(x.shape, dtype=int)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        x[ix] = old + h
        plus = f(x)
        x[ix] = old - h
        minus = f(x)
        x[ix] = old
        grad[ix] = (plus - minus) / (2 * h)
    return grad


def numgrad_stub(f, x, h=1e-5):
    raise NotImplementedError()


# ================================================================================================
# rel_error(x, y) -> float
# ================================================================================================


def rel_error_cs231n(x, y):
    return np.max(np.abs(x - y) / (np.maximum(1e-8, np.abs(x) + np.abs(y))))


def rel_error_fmax(x, y):
    return float(np.amax(np.divide(np.abs(np.subtract(x, y)), np.fmax(np.abs(x) + np.abs(y), 1e-8))))


def rel_error_loops(x, y):
    x, y = np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
    worst = 0.0
    for a, b in zip(x, y):
        worst = max(worst, abs(a - b) / max(1e-8, abs(a) + abs(b)))
    return worst


def rel_error_no_max(x, y):
    return np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))


def rel_error_no_floor(x, y):
    return np.max(np.abs(x - y) / (np.abs(x) + np.abs(y)))


def rel_error_x_only(x, y):
    return np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x)))


def rel_error_no_abs(x, y):
    return np.max((x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y)))


def rel_error_mean(x, y):
    return np.mean(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y)))


def rel_error_additive_floor(x, y):
    return np.max(np.abs(x - y) / (np.abs(x) + np.abs(y) + 1e-8))


def rel_error_abs_of_sum(x, y):
    return np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x + y)))


def rel_error_in_place(x, y):
    x -= y        # changes the caller's x
    return np.max(np.abs(x) / np.maximum(1e-8, np.abs(x + y) + np.abs(y)))


def rel_error_stub(x, y):
    raise NotImplementedError()


# ================================================================================================
# grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None) -> num_checks errors
# ================================================================================================


def _centered(f, x, ix, h):
    old = x[ix]
    x[ix] = old + h
    plus = f(x)
    x[ix] = old - h
    minus = f(x)
    x[ix] = old
    return (plus - minus) / (2 * h)


def gcs_tuple(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    rng = np.random.default_rng(seed)
    errors = []
    for _ in range(num_checks):
        ix = tuple(rng.integers(m) for m in x.shape)
        n, a = _centered(f, x, ix, h), analytic_grad[ix]
        errors.append(abs(n - a) / (abs(n) + abs(a)))
    return errors


def gcs_unravel(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    rng = np.random.default_rng(seed)
    flat = rng.integers(0, x.size, size=num_checks)
    errors = np.zeros(num_checks)
    for k, i in enumerate(flat):
        ix = np.unravel_index(i, x.shape)
        n, a = _centered(f, x, ix, h), analytic_grad[ix]
        errors[k] = abs(n - a) / (abs(n) + abs(a))
    return errors


def gcs_printing(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    """CS231n-style: prints every check (captured by the grader)."""
    rng = np.random.default_rng(seed)
    errors = []
    for _ in range(num_checks):
        ix = tuple(rng.integers(m) for m in x.shape)
        n, a = _centered(f, x, ix, h), analytic_grad[ix]
        err = abs(n - a) / (abs(n) + abs(a))
        print(f"numerical: {n:f} analytic: {a:f}, relative error: {err:e}")
        errors.append(err)
    return errors


def gcs_copies(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    """Perturbs copies, never x; without replacement."""
    rng = np.random.default_rng(seed)
    errors = []
    for i in rng.choice(x.size, size=num_checks, replace=False):
        ix = np.unravel_index(i, x.shape)
        xp, xm = x.copy(), x.copy()
        xp[ix] += h
        xm[ix] -= h
        n, a = (f(xp) - f(xm)) / (2 * h), analytic_grad[ix]
        errors.append(abs(n - a) / max(1e-12, abs(n) + abs(a)))
    return errors


def gcs_returns_mean(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    return float(np.mean(gcs_tuple(f, x, analytic_grad, num_checks, h, seed)))


def gcs_ignores_seed(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    errors = []
    for _ in range(num_checks):
        ix = tuple(np.random.randint(m) for m in x.shape)
        n, a = _centered(f, x, ix, h), analytic_grad[ix]
        errors.append(abs(n - a) / (abs(n) + abs(a)))
    return errors


def gcs_fixed_seed(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    return gcs_tuple(f, x, analytic_grad, num_checks, h, seed=0)


def gcs_index_zero(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    rng = np.random.default_rng(seed)
    errors = []
    for _ in range(num_checks):
        ix = tuple(rng.integers(m) for m in x.shape)  # noqa: F841  (drawn, then not used)
        ix0 = (0,) * x.ndim
        n, a = _centered(f, x, ix0, h), analytic_grad[ix0]
        errors.append(abs(n - a) / (abs(n) + abs(a)))
    return errors


def gcs_signed(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    rng = np.random.default_rng(seed)
    errors = []
    for _ in range(num_checks):
        ix = tuple(rng.integers(m) for m in x.shape)
        n, a = _centered(f, x, ix, h), analytic_grad[ix]
        errors.append((n - a) / (abs(n) + abs(a)))
    return errors


def gcs_forward(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    rng = np.random.default_rng(seed)
    errors = []
    for _ in range(num_checks):
        ix = tuple(rng.integers(m) for m in x.shape)
        fx = f(x)
        old = x[ix]
        x[ix] = old + h
        n = (f(x) - fx) / h
        x[ix] = old
        a = analytic_grad[ix]
        errors.append(abs(n - a) / (abs(n) + abs(a)))
    return errors


def gcs_large_h(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    """Centered differences with its own h = 1e-3: errors of about 1e-7 to 1e-6, not those of a forward difference."""
    return gcs_tuple(f, x, analytic_grad, num_checks, 1e-3, seed)


def gcs_not_restored(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    rng = np.random.default_rng(seed)
    errors = []
    for _ in range(num_checks):
        ix = tuple(rng.integers(m) for m in x.shape)
        x[ix] += h
        plus = f(x)
        x[ix] -= 2 * h
        minus = f(x)
        n, a = (plus - minus) / (2 * h), analytic_grad[ix]
        errors.append(abs(n - a) / (abs(n) + abs(a)))
    return errors


def gcs_stub(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    raise NotImplementedError()


# ================================================================================================
# Answers that ignore their inputs (DESIGN.md principle 10): each must score 0 on every cell
# ================================================================================================


def numgrad_zeros(f, x, h=1e-5):
    return np.zeros_like(x)


def numgrad_constant_fx(f, x, h=1e-5):
    return np.full(x.shape, float(f(x)))


def numgrad_echo(f, x, h=1e-5):
    return np.array(x, dtype=float, copy=True)


def numgrad_random(f, x, h=1e-5):
    return np.random.default_rng(0).standard_normal(x.shape)


def numgrad_perturbs_but_returns_zeros(f, x, h=1e-5):
    """Evaluates f at x + h and x - h for every entry, restores x, and returns zeros anyway."""
    grad = np.zeros(x.shape)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        x[ix] = old + h
        f(x)
        x[ix] = old - h
        f(x)
        x[ix] = old
    return grad


def rel_error_zeros(x, y):
    return 0.0


def rel_error_constant(x, y):
    return 1e-8


def rel_error_echo(x, y):
    return float(np.max(x))


def rel_error_random(x, y):
    return float(np.random.default_rng(0).random())


def gcs_zeros(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    return [0.0] * num_checks


def gcs_constant(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    return [1e-10] * num_checks


def gcs_echo(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    return list(np.ravel(analytic_grad)[:num_checks])


def gcs_random(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    return list(np.random.default_rng(seed).random(num_checks))
