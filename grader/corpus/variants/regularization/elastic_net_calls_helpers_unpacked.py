"""elastic_net_regularization that calls the notebook's l1_regularization and l2_regularization and mixes them."""
import numpy as np


def elastic_net_regularization(W, reg, l1_ratio=0.5):
    l1_loss, l1_grad = l1_regularization(W, reg)
    l2_loss, l2_grad = l2_regularization(W, reg)
    loss = l1_ratio * l1_loss + (1.0 - l1_ratio) * l2_loss
    grad = l1_ratio * l1_grad + (1.0 - l1_ratio) * l2_grad
    return loss, grad
