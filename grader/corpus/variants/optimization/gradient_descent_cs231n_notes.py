"""gradient_descent in the CS231n notes' style: xrange alias, weights += - step_size * weights_grad on a float64 copy."""
import numpy as np

xrange = range


def gradient_descent(loss_fn, W0, learning_rate, num_iters):
    weights = np.array(W0, dtype=np.float64, copy=True)
    loss_history = []
    for i in xrange(num_iters):
        loss, weights_grad = loss_fn(weights)
        loss_history.append(loss)
        weights += - learning_rate * weights_grad  # perform parameter update
    return weights, loss_history
