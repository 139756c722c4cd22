"""gradient_descent steps with the loss instead of the gradient."""
import numpy as np


def gradient_descent(loss_fn, W0, learning_rate, num_iters):
    W = W0.copy()
    loss_history = []
    for _ in range(num_iters):
        loss, dW = loss_fn(W)
        loss_history.append(loss)
        W -= learning_rate * loss
    return W, loss_history
