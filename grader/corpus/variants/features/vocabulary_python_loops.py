"""build_vocabulary, correct, with Python loops over patches and words and a running sum per word."""
import numpy as np


def build_vocabulary(patches, k, num_iters=10, seed=0):
    rng = np.random.default_rng(seed)
    start = rng.choice(patches.shape[0], size=k, replace=False)
    words = [patches[i].astype(np.float64) for i in start]
    for _ in range(num_iters):
        sums = [np.zeros(patches.shape[1]) for _ in range(k)]
        counts = [0] * k
        for p in patches:
            best, best_d = 0, None
            for j in range(k):
                d = float(np.sum((p - words[j]) ** 2))
                if best_d is None or d < best_d:
                    best, best_d = j, d
            sums[best] += p
            counts[best] += 1
        words = [sums[j] / counts[j] if counts[j] > 0 else words[j] for j in range(k)]
    return np.array(words)
