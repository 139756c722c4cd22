"""LinearSVM.loss calling the naive SVM loss pasted with the vectorized one: the same loss and dW, only slower."""
class LinearSVM(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        return svm_loss_naive(self.W, X_batch, y_batch, reg)
