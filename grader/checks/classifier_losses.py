"""Checks of optimization.ipynb: LinearSVM.loss and Softmax.loss, the provided vectorized losses, through
the class alone.

Helpers these checks share with the notebook's other checks are in optimization.py.
"""

from __future__ import annotations

from ..numerics import relative_error, values_close
from ..outcome import CheckContext, Failure
from ..reference import losses as ref_losses
from .calls import as_array, as_scalar, trusted_names
from .optimization import require_class, seeded
from .problems import brief, random_problem
from .registry import check

# The names a subclass's loss may call: the vectorized losses the notebook asks to paste, and the naive
# ones a student may have pasted with them (the same function, graded in losses.ipynb).
PASTED_LOSSES = {"svm_loss_vectorized": ref_losses.svm_loss, "softmax_loss_vectorized": ref_losses.softmax_loss,
                 "svm_loss_naive": ref_losses.svm_loss, "softmax_loss_naive": ref_losses.softmax_loss}


def _subclass_loss(name: str, function: str, reference, other, other_name: str):
    def run(cls, ctx: CheckContext):
        def matches(salt: int, n: int, d: int, c: int, reg: float):
            def body():
                require_class(cls, name)
                p = random_problem(ctx.rng(salt), n, d, c, reg)
                obj = cls.__new__(cls)  # W is all loss needs; the base class's __init__ is not graded here
                obj.W = p.W.copy()
                # The losses the student pasted in are graded in losses.ipynb, not here.
                with trusted_names(getattr(cls, "loss", None), PASTED_LOSSES):
                    out = obj.loss(p.X.copy(), p.y.copy(), reg)
                if not isinstance(out, (tuple, list)) or len(out) != 2:
                    raise Failure("a tuple (loss, dW)", f"{type(out).__name__} {brief(out, 60)}",
                                  "return what the vectorized loss returns: `return loss, dW`")
                loss = as_scalar(out[0], "the loss")
                dW = as_array(out[1], p.W.shape, "dW")
                want_loss, want_dW = reference(*p.args())
                if not (values_close(loss, want_loss, 1e-9) and relative_error(dW, want_dW) <= 1e-9):
                    cause = f"{name}.loss returns {function}(self.W, X_batch, y_batch, reg)"
                    other_loss, other_dW = other(*p.args())
                    if values_close(loss, other_loss, 1e-9) and relative_error(dW, other_dW) <= 1e-9:
                        cause = f"this is the {other_name} loss: {name}.loss must call {function}"
                    elif reg and values_close(loss, reference(p.W, p.X, p.y, 0.0)[0], 1e-9):
                        cause = "reg is not passed on: pass the reg argument to the loss function"
                    raise Failure(f"loss {want_loss:.6g} and its dW ({p.where()})", f"loss {loss:.6g}", cause)
            return body

        yield ctx.run("loss and dW on self.W match the provided loss function (reg = 0)", matches(150, 8, 5, 3, 0.0))
        yield ctx.run("loss and dW with regularization (reg = 0.5)", matches(151, 10, 4, 4, 0.5))
    return run


check("linear_svm_loss")(seeded(_subclass_loss("LinearSVM", "svm_loss_vectorized",
                                               ref_losses.svm_loss, ref_losses.softmax_loss, "softmax")))
check("softmax_classifier_loss")(seeded(_subclass_loss("Softmax", "softmax_loss_vectorized",
                                                       ref_losses.softmax_loss, ref_losses.svm_loss, "SVM")))


