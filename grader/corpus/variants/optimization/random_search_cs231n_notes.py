"""random_search in the CS231n notes' style: xrange alias, bestloss/bestW names, a print per try."""
import numpy as np

xrange = range


def random_search(loss_fn, dim, num_classes, num_tries=1000, rng=None):
    bestloss = float("inf")  # Python assigns the highest possible float value
    bestW = None
    for num in xrange(num_tries):
        if rng is None:
            W = np.random.randn(dim, num_classes) * 0.001  # generate random parameters
        else:
            W = rng.standard_normal((dim, num_classes)) * 0.001
        loss = loss_fn(W)[0]  # get the loss over the entire training set
        if loss < bestloss:  # keep track of the best solution
            bestloss = loss
            bestW = W
        print('in attempt %d the loss was %f, best %f' % (num, loss, bestloss))
    return bestW, bestloss
