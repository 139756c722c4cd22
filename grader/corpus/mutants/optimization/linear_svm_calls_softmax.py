"""LinearSVM.loss calls the softmax loss."""
class LinearSVM(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        return softmax_loss_vectorized(self.W, X_batch, y_batch, reg)
