""""Inputs left unmodified": one reusable property for every check of a function that takes arrays.

A function that writes into its inputs (`x[ix] += h` left in place, `scores -= max`, `im /= xmax`)
changes the caller's data: the property calls it on copies and compares each copy with the original.
"""

from __future__ import annotations

from typing import Callable, Union

import numpy as np

from ..outcome import Failure

Changed = dict   # input name -> the copy after the call, for every input
Text = Union[str, Callable[[Changed], str]]   # a text, or one computed from what the call did


def require_unmodified(call: Callable[..., object], inputs: dict[str, np.ndarray], cause: Text, *,
                       they: bool = False, got: Text | None = None, each: bool = False) -> None:
    """Call `call(*copies)` with a copy of every input, in order, and fail if any copy changed.

    The Failure expects "<a and b> left as they were" ("<name> left as it was" for one input whose
    name is singular; they=True for a plural name such as "points") and got "<name> changed by the
    call" (one input) or "an input changed by the call", unless `got` says otherwise; each=True names
    the first input that changed on its own ("X left as it was"). `cause` and `got` may be functions of
    the copies after the call (to say *how* an input changed).
    """
    copies = {name: np.copy(value) for name, value in inputs.items()}
    call(*copies.values())
    changed = [name for name, value in inputs.items() if not np.array_equal(value, copies[name])]
    if not changed:
        return
    if callable(cause):
        cause = cause(copies)
    if callable(got):
        got = got(copies)
    if each:
        raise Failure(f"{changed[0]} left as it was", got or f"{changed[0]} changed by the call", cause)
    names = list(inputs)
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    plural = they or len(names) > 1
    expected = f"{listed} left as {'they were' if plural else 'it was'}"
    raise Failure(expected, got or (f"{listed} changed by the call" if len(names) == 1
                                    else "an input changed by the call"), cause)
