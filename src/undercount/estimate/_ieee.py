"""IEEE double arithmetic that states its overflows instead of raising them.

A model fit that diverges (an interaction going to infinity on a sparse table) drives
its working quantities past the largest double. The IRLS engines must then give
exactly what IEEE arithmetic gives (``±inf`` on overflow, NaN for ``inf - inf`` or
``0 * inf``): a non-finite system retires the model as not converged. These helpers
decide the overflow from exponents and halves, so numpy never raises a
``RuntimeWarning``, and give bit-for-bit the ordinary result everywhere else. They
are only used on rows a cheap bound cannot clear (diverged models), so ordinary fits
keep numpy's fast path.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

MAX = float(np.finfo(np.float64).max)
"""Largest finite double."""
LOG_MAX = float(np.log(MAX))
"""Largest ``x`` whose ``exp(x)`` is finite (709.78...)."""
_HALF_OVERFLOW = 2.0**1023
"""``a + b`` overflows exactly when ``a / 2 + b / 2`` reaches this."""
_EXPONENT_OVERFLOW = 1024
"""A product whose binary exponent exceeds this is beyond the largest double."""


def exp_or_inf(x: FloatArray) -> FloatArray:
    """``exp(x)``, and ``inf`` where it would overflow (NaN stays NaN)."""
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > LOG_MAX, np.inf, np.exp(np.minimum(x, LOG_MAX)))


def multiply(a: FloatArray, b: FloatArray) -> FloatArray:
    """``a * b`` as IEEE gives it, without raising on overflow or ``0 * inf``.

    For finite operands ``a = fa 2**ea`` and ``b = fb 2**eb`` (``frexp``), the rounded
    product is ``fl(fa fb) 2**(ea + eb)``; it overflows exactly when its exponent
    passes 1024.
    """
    a, b = np.broadcast_arrays(
        np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    )
    finite = np.isfinite(a) & np.isfinite(b)
    fa, ea = np.frexp(np.where(finite, a, 0.0))
    fb, eb = np.frexp(np.where(finite, b, 0.0))
    mantissa = fa * fb
    _, em = np.frexp(mantissa)
    over = finite & (ea + eb + em > _EXPONENT_OVERFLOW)
    undefined = ~finite & (
        (np.isinf(a) & (b == 0.0)) | ((a == 0.0) & np.isinf(b))
    )  # 0 * inf
    out = np.full(a.shape, np.nan)
    np.multiply(a, b, out=out, where=~over & ~undefined)
    out[over] = np.copysign(np.inf, mantissa[over])
    return out


def add(a: FloatArray, b: FloatArray) -> FloatArray:
    """``a + b`` as IEEE gives it, without raising on overflow or ``inf - inf``.

    Halving is exact, so ``a + b`` overflows exactly when ``a / 2 + b / 2`` reaches
    ``2**1023``.
    """
    a, b = np.broadcast_arrays(
        np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    )
    finite = np.isfinite(a) & np.isfinite(b)
    half = np.where(finite, a, 0.0) * 0.5 + np.where(finite, b, 0.0) * 0.5
    over = finite & (np.abs(half) >= _HALF_OVERFLOW)
    undefined = np.isinf(a) & np.isinf(b) & (a != b)  # inf - inf
    out = np.full(a.shape, np.nan)
    np.add(a, b, out=out, where=~over & ~undefined)
    out[over] = np.copysign(np.inf, half[over])
    return out


def may_overflow_in_sums(values: FloatArray) -> npt.NDArray[np.bool_]:
    """Rows (axis 0) whose sums of up to ``values.shape[1]`` terms could leave the
    double range (or that hold a non-finite value): a cheap, conservative bound."""
    limit = MAX / values.shape[1]
    if values.size == 0 or max(float(values.max()), -float(values.min())) <= limit:
        return np.zeros(values.shape[0], dtype=np.bool_)  # the common case, one pass
    bound = np.max(np.abs(values), axis=1)
    return np.asarray(~(bound <= limit), dtype=np.bool_)


def may_overflow_in_product(a: FloatArray, b: FloatArray) -> npt.NDArray[np.bool_]:
    """Rows (axis 0) where some ``a * b`` could pass the largest double (or that
    hold a non-finite value): a cheap, conservative bound."""
    if a.size == 0:
        return np.zeros(a.shape[0], dtype=np.bool_)
    top_a = max(float(a.max()), -float(a.min()))
    top_b = max(float(b.max()), -float(b.min()))
    if top_a * top_b <= MAX:  # Python floats: an overflow is inf, not an error
        return np.zeros(a.shape[0], dtype=np.bool_)
    bound = multiply(np.max(np.abs(a), axis=1), np.max(np.abs(b), axis=1))
    return np.asarray(~(bound <= MAX), dtype=np.bool_)
