"""Softmax.loss calling the vectorized loss with keyword arguments and returning its result as a tuple."""
class Softmax(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        result = softmax_loss_vectorized(W=self.W, X=X_batch, y=y_batch, reg=reg)
        return tuple(result)
