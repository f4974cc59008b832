#!/usr/bin/python3
"""Reference values of ridge expectations E[g^(k)(z + s T)] by mpmath quadrature at 50 digits.

Usage: mpmath_ridge.py QUERY...   with QUERY = g,law,d,z,s,k
  g   softplus | tanh | cos | exp
  law normal | ball   (ball: density proportional to (1 - t^2)^((d - 1)/2) on [-1, 1])
Prints one value per query (40 significant digits), in order.
"""
import sys

import mpmath as mp

mp.mp.dps = 50


def derivative(g, k):
    if g == "softplus":
        sig = lambda y: 1 / (1 + mp.exp(-y))
        return [lambda y: mp.log1p(mp.exp(y)), sig, lambda y: sig(y) * (1 - sig(y))][k]
    if g == "tanh":
        return [mp.tanh, lambda y: mp.sech(y) ** 2,
                lambda y: -2 * mp.tanh(y) * mp.sech(y) ** 2][k]
    if g == "cos":
        return [mp.cos, lambda y: -mp.sin(y), lambda y: -mp.cos(y)][k]
    if g == "exp":
        return mp.exp
    raise SystemExit("unknown function " + g)


def expectation(g, law, d, z, s, k):
    f = derivative(g, k)
    if law == "normal":
        w = lambda t: mp.exp(-t * t / 2) / mp.sqrt(2 * mp.pi)
        return mp.quad(lambda t: f(z + s * t) * w(t), [-mp.inf, -5, 0, 5, mp.inf])
    if law == "ball":
        w = lambda t: (1 - t * t) ** (mp.mpf(d - 1) / 2)
        norm = mp.quad(w, [-1, 0, 1])
        return mp.quad(lambda t: f(z + s * t) * w(t), [-1, 0, 1]) / norm
    raise SystemExit("unknown law " + law)


for query in sys.argv[1:]:
    g, law, d, z, s, k = query.split(",")
    value = expectation(g, law, int(d), mp.mpf(z), mp.mpf(s), int(k))
    print(mp.nstr(value, 40))
