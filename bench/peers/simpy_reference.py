"""The speed reference model (docs/performance.md) written the way a SimPy user would.

Three regions of 100 slots (simpy.Resource), three Poisson populations of
0.7917 arrivals/s with exponential 120 s sessions, nearest region first, spill
to the next nearest when full, rejection when all are full. Prints one JSON
line: counts, simulated events, and the wall-clock and CPU seconds of the
simulation itself (interpreter start and imports excluded).

Usage: python3 simpy_reference.py [sessions] [seed]
"""

import json
import random
import sys
import time

import simpy

RATE_PER_S = 0.7917
MEAN_S = 120.0
CAPACITY = 100
REGIONS = ["us-east", "eu-central", "ap-south"]
# Per population, regions nearest first.
ORDER = {
    "americas": [0, 1, 2],
    "europe": [1, 0, 2],
    "asia": [2, 1, 0],
}


class Stats:
    def __init__(self):
        self.sessions = 0
        self.overflow = 0
        self.rejected = 0
        self.events = 0
        self.served_by = {r: 0 for r in REGIONS}
        self.wait_sum = 0.0


def session(env, stats, regions, order, rng):
    """One user: take the nearest region with a free slot, hold it, leave."""
    arrived = env.now
    duration = rng.expovariate(1.0 / MEAN_S)
    for r in order:
        res = regions[r]
        if res.count < res.capacity:
            with res.request() as req:
                yield req
                stats.wait_sum += env.now - arrived
                stats.served_by[REGIONS[r]] += 1
                if r != order[0]:
                    stats.overflow += 1
                yield env.timeout(duration)
            stats.events += 1  # departure
            return
    stats.rejected += 1


def source(env, stats, regions, order, rng, until_sessions):
    """Poisson arrivals of one population."""
    while stats.sessions < until_sessions:
        yield env.timeout(rng.expovariate(RATE_PER_S))
        stats.sessions += 1
        stats.events += 1  # arrival
        env.process(session(env, stats, regions, order, rng))


def main():
    sessions = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = random.Random(seed)
    env = simpy.Environment()
    regions = [simpy.Resource(env, capacity=CAPACITY) for _ in REGIONS]
    stats = Stats()
    horizon = sessions / (3 * RATE_PER_S)
    for name, order in ORDER.items():
        env.process(source(env, stats, regions, order, rng, sessions))
    started, cpu_started = time.perf_counter(), time.process_time()
    env.run(until=horizon)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(json.dumps({
        "impl": "simpy",
        "simpy": simpy.__version__,
        "sessions": stats.sessions,
        "overflow": stats.overflow,
        "rejected": stats.rejected,
        "events": stats.events,
        "seconds": seconds,
        "cpu": cpu,
    }))


if __name__ == "__main__":
    main()
