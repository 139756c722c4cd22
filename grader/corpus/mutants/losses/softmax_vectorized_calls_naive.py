"""softmax_loss_vectorized that hands the work to softmax_loss_naive."""
def softmax_loss_vectorized(W, X, y, reg):
    return softmax_loss_naive(W, X, y, reg)
