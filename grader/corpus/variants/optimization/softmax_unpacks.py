"""Softmax.loss unpacking the vectorized loss into loss and dW and returning them."""
class Softmax(LinearClassifier):
    """ A subclass that uses the Softmax + Cross-entropy loss function """

    def loss(self, X_batch, y_batch, reg):
        loss, dW = softmax_loss_vectorized(self.W, X_batch, y_batch, reg)
        return loss, dW
