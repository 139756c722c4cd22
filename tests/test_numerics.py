"""grader/numerics.py (centered differences, relative errors) and the trusted reference losses
in grader/reference/losses.py, which every check compares students against."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import implementations as impl
from grader.numerics import numerical_gradient, relative_error, values_close
from grader.reference import losses as ref

FAST = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# -- numerical_gradient -----------------------------------------------------------------------------

rng = np.random.default_rng(0)
A = rng.standard_normal((4, 3))
M = rng.standard_normal((4, 4))
M = M + M.T
X = rng.standard_normal((5, 4))

FUNCTIONS = {
    # name: (f, analytic gradient)
    "sum of squares": (lambda W: np.sum(W * W), lambda W: 2 * W),
    "linear <A, W>": (lambda W: np.sum(A * W), lambda W: A),
    "quadratic form tr(W^T M W)": (lambda W: np.trace(W.T @ M @ W), lambda W: 2 * M @ W),
    "cubic sum W^3": (lambda W: np.sum(W ** 3), lambda W: 3 * W ** 2),
    "cubic of scores sum (XW)^3": (lambda W: np.sum((X @ W) ** 3), lambda W: 3 * X.T @ (X @ W) ** 2),
    "product of two entries": (lambda W: W[0, 0] * W[1, 2] ** 2,
                               lambda W: np.array([[W[1, 2] ** 2, 0, 0], [0, 0, 2 * W[0, 0] * W[1, 2]],
                                                   [0, 0, 0], [0, 0, 0]])),
}


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_numerical_gradient_matches_analytic(name):
    f, grad = FUNCTIONS[name]
    W = np.random.default_rng(1).standard_normal((4, 3))
    numeric = numerical_gradient(f, W)
    assert numeric.shape == W.shape and numeric.dtype == np.float64
    assert relative_error(numeric, grad(W)) < 1e-8


def test_numerical_gradient_any_shape():
    for shape in [(), (7,), (2, 3, 4)]:
        x = np.random.default_rng(2).standard_normal(shape)
        numeric = numerical_gradient(lambda v: np.sum(np.sin(v)), x)
        assert numeric.shape == x.shape
        np.testing.assert_allclose(numeric, np.cos(x), rtol=1e-8, atol=1e-10)


def test_numerical_gradient_leaves_input_unchanged():
    W = np.random.default_rng(3).standard_normal((4, 3))
    before = W.copy()
    seen = []
    numerical_gradient(lambda w: seen.append(w.shape) or float(np.sum(w ** 3)), W)
    assert np.array_equal(W, before)
    assert set(seen) == {W.shape} and len(seen) == 2 * W.size


def test_numerical_gradient_of_integer_input_is_float():
    x = np.array([[1, 2], [3, 4]])
    numeric = numerical_gradient(lambda w: np.sum(w * w), x)
    np.testing.assert_allclose(numeric, 2 * x, rtol=1e-8)
    assert x.dtype.kind == "i" and np.array_equal(x, [[1, 2], [3, 4]])


@pytest.mark.parametrize("layout", ["transposed", "fortran"])
def test_numerical_gradient_of_non_c_contiguous_input(layout):
    base = np.random.default_rng(4).standard_normal((3, 4))
    W = base.T if layout == "transposed" else np.asfortranarray(base)
    numeric = numerical_gradient(lambda w: np.sum(w * w), W)
    np.testing.assert_allclose(numeric, 2 * W, rtol=1e-8)


def test_numerical_gradient_of_strided_view():
    W = np.random.default_rng(5).standard_normal((4, 6))[:, ::2]
    np.testing.assert_allclose(numerical_gradient(lambda w: np.sum(w ** 3), W), 3 * W ** 2, rtol=1e-7)


# -- relative_error, values_close ----------------------------------------------------------------

def test_relative_error_basics():
    a = np.random.default_rng(6).standard_normal((3, 4))
    assert relative_error(a, a) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(a, -a) == pytest.approx(1.0)
    assert relative_error(a, np.zeros_like(a)) == pytest.approx(1.0)
    assert relative_error(2.0, 1.0) == pytest.approx(1 / 3)
    assert type(relative_error(a, a + 1)) is float


_finite = st.floats(-1e3, 1e3, allow_subnormal=False)


@st.composite
def array_pairs(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, max_side=5))
    return draw(hnp.arrays(np.float64, shape, elements=_finite)), draw(hnp.arrays(np.float64, shape, elements=_finite))


@FAST
@given(array_pairs())
def test_relative_error_is_symmetric_bounded_and_scale_free(pair):
    a, b = pair
    e = relative_error(a, b)
    assert e == relative_error(b, a)
    assert 0.0 <= e <= 1.0 + 1e-12
    if np.any(a) or np.any(b):
        assert relative_error(3.0 * a, 3.0 * b) == pytest.approx(e, rel=1e-9, abs=1e-15)


def test_values_close():
    assert values_close(1.0, 1.0 + 1e-9, 1e-6)
    assert not values_close(1.0, 1.1, 1e-6)
    assert values_close(0.0, 1e-12, 1e-6)            # absolute floor near 0
    assert not values_close(float("nan"), 1.0, 1e-6)
    assert not values_close(float("inf"), 1.0, 1e-6)


# -- the reference losses, with Hypothesis --------------------------------------------------------

@st.composite
def problems(draw, max_n=6, max_d=4, max_c=5):
    n, d, c = draw(st.integers(1, max_n)), draw(st.integers(1, max_d)), draw(st.integers(2, max_c))
    floats = st.floats(-3, 3, allow_nan=False, allow_subnormal=False)
    W = draw(hnp.arrays(np.float64, (d, c), elements=floats))
    X = draw(hnp.arrays(np.float64, (n, d), elements=floats))
    y = draw(hnp.arrays(np.int64, n, elements=st.integers(0, c - 1)))
    reg = draw(st.sampled_from([0.0, 0.1, 1.0]) | st.floats(0, 2, allow_subnormal=False))
    return W, X, y, reg


@st.composite
def scores_and_labels(draw, bound=20.0):
    n, c = draw(st.integers(1, 6)), draw(st.integers(2, 6))
    s = draw(hnp.arrays(np.float64, (n, c), elements=st.floats(-bound, bound, allow_subnormal=False)))
    return s, draw(hnp.arrays(np.int64, n, elements=st.integers(0, c - 1)))


def _assert_gradients_agree(analytic, numeric):
    # Relative error is meaningless for a gradient that is itself ~0 (e.g. X ~ 1e-7): centered
    # differences then only measure rounding, ~eps * |f| / h ~ 1e-11.
    err = relative_error(analytic, numeric)
    assert err < 1e-6 or np.max(np.abs(analytic - numeric)) < 1e-8, (err, analytic, numeric)


def _min_abs_margin(W, X, y):
    s = X @ W
    m = s - s[np.arange(len(y)), y][:, None] + 1.0
    m[np.arange(len(y)), y] = np.inf
    return np.min(np.abs(m))


@FAST
@given(scores_and_labels())
def test_reference_hinge_equals_loops(args):
    s, y = args
    np.testing.assert_allclose(ref.hinge_losses(s, y), impl.hinge_loops(s, y), rtol=1e-12, atol=1e-12)
    assert np.all(ref.hinge_losses(s, y) >= 0)


@FAST
@given(problems())
def test_reference_svm_equals_naive_loops(args):
    W, X, y, reg = args
    loss, dW = ref.svm_loss(W, X, y, reg)
    loss2, dW2 = impl.svm_naive(W.copy(), X.copy(), y.copy(), reg)
    assert type(loss) is float and dW.shape == W.shape
    assert loss == pytest.approx(loss2, rel=1e-10, abs=1e-12)
    if _min_abs_margin(W, X, y) > 1e-9:        # at a kink the two may pick different subgradients
        np.testing.assert_allclose(dW, dW2, rtol=1e-9, atol=1e-12)


@FAST
@given(problems())
def test_reference_svm_loss_is_hinge_mean_plus_l2(args):
    W, X, y, reg = args
    loss, _ = ref.svm_loss(W, X, y, reg)
    assert loss == pytest.approx(ref.hinge_losses(X @ W, y).mean() + reg * np.sum(W * W), rel=1e-12, abs=1e-12)


@FAST
@given(problems())
def test_reference_softmax_loss_equals_naive_loops(args):
    W, X, y, reg = args
    loss, dW = ref.softmax_loss(W, X, y, reg)
    loss2, dW2 = impl.softmax_loss_naive(W.copy(), X.copy(), y.copy(), reg)
    assert type(loss) is float and dW.shape == W.shape
    assert loss == pytest.approx(loss2, rel=1e-10, abs=1e-12)
    np.testing.assert_allclose(dW, dW2, rtol=1e-9, atol=1e-12)


@FAST
@given(problems(max_n=4, max_d=3, max_c=4))
def test_reference_svm_gradient_matches_numerical_away_from_kinks(args):
    W, X, y, reg = args
    assume(_min_abs_margin(W, X, y) > 1e-3)
    _, dW = ref.svm_loss(W, X, y, reg)
    numeric = numerical_gradient(lambda w: ref.svm_loss(w, X, y, reg)[0], W)
    _assert_gradients_agree(dW, numeric)


@FAST
@given(problems(max_n=4, max_d=3, max_c=4))
def test_reference_softmax_gradient_matches_numerical(args):
    W, X, y, reg = args
    _, dW = ref.softmax_loss(W, X, y, reg)
    numeric = numerical_gradient(lambda w: ref.softmax_loss(w, X, y, reg)[0], W)
    _assert_gradients_agree(dW, numeric)


@FAST
@given(problems(), st.floats(-1e4, 1e4, allow_subnormal=False))
def test_reference_softmax_loss_is_shift_invariant_and_finite(args, shift):
    W, X, y, reg = args
    n, c = X.shape[0], W.shape[1]
    Xb = np.hstack([X * 300, np.ones((n, 1))])              # scores in the thousands, plus a bias
    Wb = np.vstack([W, np.full((1, c), shift)])
    loss, dW = ref.softmax_loss(Wb, Xb, y, 0.0)
    assert np.isfinite(loss) and np.all(np.isfinite(dW)) and loss >= 0
    Wb0 = Wb.copy()
    Wb0[-1] = 0.0
    assert loss == pytest.approx(ref.softmax_loss(Wb0, Xb, y, 0.0)[0], rel=1e-9, abs=1e-6)


@FAST
@given(scores_and_labels(bound=50.0), st.floats(-1e3, 1e3, allow_subnormal=False))
def test_reference_softmax_is_a_shift_invariant_distribution(args, shift):
    s, _ = args
    p = ref.softmax(s)
    assert np.all(p >= 0) and np.allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p, impl.softmax_loops(s), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(ref.softmax(s + shift), p, rtol=1e-9, atol=1e-15)


@FAST
@given(scores_and_labels())
def test_reference_softmax_loss_is_mean_negative_log_probability(args):
    s, y = args
    n = len(y)
    loss, _ = ref.softmax_loss(s.copy(), np.eye(n), y, 0.0)
    expected = -np.mean(np.log(ref.softmax(s)[np.arange(n), y]))
    assert loss == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_reference_initial_losses():
    W = np.zeros((4, 10))
    X = np.random.default_rng(7).standard_normal((6, 4))
    y = np.arange(6)
    assert ref.svm_loss(W, X, y, 1.0)[0] == pytest.approx(9.0)
    assert ref.softmax_loss(W, X, y, 1.0)[0] == pytest.approx(np.log(10))


def test_reference_lecture_example():
    from grader.checks.problems import LECTURE_HINGE_LOSSES, LECTURE_LABELS, LECTURE_SCORES

    np.testing.assert_allclose(ref.hinge_losses(LECTURE_SCORES, LECTURE_LABELS), [2.9, 0.0, 12.9])
    np.testing.assert_allclose(LECTURE_HINGE_LOSSES, [2.9, 0.0, 12.9])
    loss, _ = ref.svm_loss(LECTURE_SCORES.copy(), np.eye(3), LECTURE_LABELS, 0.0)
    assert loss == pytest.approx(5.27, abs=5e-3)


def test_reference_does_not_modify_inputs():
    W, X = np.random.default_rng(8).standard_normal((4, 3)), np.random.default_rng(9).standard_normal((5, 4))
    y = np.array([0, 1, 2, 0, 1])
    copies = W.copy(), X.copy(), y.copy()
    for f in (ref.svm_loss, ref.softmax_loss):
        f(W, X, y, 0.5)
    ref.softmax(X)
    ref.hinge_losses(X, y)
    for a, b in zip((W, X, y), copies):
        assert np.array_equal(a, b)
