"""Shared timing helper for the bench scripts (run as `python bench/<script>.py`)."""
import time


def best(fn, rounds: int, number: int) -> float:
    """The best mean time of `fn` over `rounds` rounds of `number` calls (seconds per call)."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return min(times)
