"""LinearSVM.loss calling the loss with keyword arguments and unpacking its result."""
class LinearSVM(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        loss, dW = svm_loss_vectorized(W=self.W, X=X_batch, y=y_batch, reg=reg)
        return loss, dW
