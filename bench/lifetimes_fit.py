"""Fits BG/NBD and Gamma-Gamma with Python's lifetimes on the CSV files bench/lifetimes.ts writes.

Prints one JSON object per line: {"set": name, "model": ..., "params": {...}, "seconds": ...}.
Run by npm run bench (bench/lifetimes.ts), not by CI.
"""
import json
import sys
import time

import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter


def main(files):
    for path in files:
        data = pd.read_csv(path)
        name = path.rsplit("/", 1)[-1].removesuffix(".csv")
        began = time.perf_counter()
        if "T" in data.columns:
            model = BetaGeoFitter(penalizer_coef=0.0)
            model.fit(data["x"], data["tx"], data["T"])
            params = {k: float(model.params_[k]) for k in ("r", "alpha", "a", "b")}
            kind = "bgnbd"
        else:
            model = GammaGammaFitter(penalizer_coef=0.0)
            model.fit(data["x"], data["m"])
            params = {"p": float(model.params_["p"]), "q": float(model.params_["q"]), "gamma": float(model.params_["v"])}
            kind = "gamma_gamma"
        seconds = time.perf_counter() - began
        print(json.dumps({"set": name, "model": kind, "params": params, "seconds": seconds}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
