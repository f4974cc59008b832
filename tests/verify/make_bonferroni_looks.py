#!/usr/bin/python3
"""Reference values for the sequential seeds' stopping rule (verify/claims/sequential.hpp,
docs/claims.md "Sequential seeds"), computed independently of the C++ code with mpmath at 50
digits: for a one-look criterion z (two-sided level alpha = 2(1 - Phi(z)) = erfc(z/sqrt 2)) and K
planned looks, the Bonferroni-over-looks criterion
    z_K = Phi^{-1}(1 - alpha/(2K)) = sqrt(2) * erfcinv(alpha/K)
and the level of one look at z_K, 2(1 - Phi(z_K)) = alpha/K (so K looks spend alpha at most).
Read by tests/verify/sequential_test.cpp.
Run: /usr/bin/python3 tests/verify/make_bonferroni_looks.py > tests/verify/data/bonferroni_looks.json
"""
import json

import mpmath as mp

mp.mp.dps = 50


def erfcinv(y):
    # erfc(x) = y, by Newton's method from mpmath's erfinv (1 - y loses nothing at 50 digits here).
    x = mp.erfinv(1 - y)
    for _ in range(5):
        x -= (mp.erfc(x) - y) / (-2 / mp.sqrt(mp.pi) * mp.exp(-x * x))
    return x


rows = []
for z in ["1.5", "2", "2.5", "3"]:
    zz = mp.mpf(z)
    alpha = mp.erfc(zz / mp.sqrt(2))
    for looks in range(1, 11):
        zk = mp.sqrt(2) * erfcinv(alpha / looks)
        level = mp.erfc(zk / mp.sqrt(2))
        rows.append({
            "z": float(zz),
            "looks": looks,
            "alpha": mp.nstr(alpha, 25),
            "z_looks": mp.nstr(zk, 25),
            "level_per_look": mp.nstr(level, 25),
        })
print(json.dumps({"generator": "tests/verify/make_bonferroni_looks.py", "digits": 50,
                  "rows": rows}, indent=1))
