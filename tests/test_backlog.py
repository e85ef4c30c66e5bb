"""The encoders' backlog: early work while speech goes on, even shares once it is done."""

from __future__ import annotations

import threading
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.audio.backlog import Backlog


def _backlog(encoders: int = 2, seconds: float = 40.0, segments: int = 8) -> Backlog[float]:
    return Backlog(encoders, float, batch_seconds=seconds, batch_segments=segments)


def test_a_free_encoder_takes_what_is_spoken_so_far_without_waiting_for_a_full_batch() -> None:
    backlog = _backlog()
    backlog.put(3.0)
    assert backlog.take() == [3.0]
    backlog.put(10.0)
    backlog.put(12.0)
    assert backlog.take() == [10.0, 12.0]


def test_while_speaking_batches_are_capped_in_seconds_and_segments() -> None:
    backlog = _backlog(seconds=40.0, segments=3)
    for length in (15.0, 15.0, 15.0, 30.0, 5.0, 5.0, 5.0, 5.0):
        backlog.put(length)
    assert backlog.take() == [15.0, 15.0, 15.0]  # 45 s is nearer 40 s than 30 s is
    assert backlog.take() == [30.0, 5.0, 5.0]  # at most 3 segments
    assert backlog.take() == [5.0, 5.0]


def test_once_spoken_the_longest_go_first_and_the_rest_is_shared_evenly() -> None:
    backlog = _backlog(encoders=2)
    for length in (10.0, 10.0, 10.0, 10.0, 108.0, 10.0):
        backlog.put(length)
    backlog.spoken()
    assert backlog.take() == [108.0]  # spoken last, encoded first
    # 50 s left for 2 encoders: 25 s each, not one full 40 s batch and a 10 s one
    assert backlog.take() == [10.0, 10.0]
    assert backlog.take() == [10.0]  # 30 s left: 15 s shares
    assert backlog.take() == [10.0]
    assert backlog.take() == [10.0]
    assert backlog.take() == []


def test_take_waits_for_speech_and_ends_when_everything_is_spoken() -> None:
    backlog = _backlog()
    taken: list[list[float]] = []
    worker = threading.Thread(target=lambda: taken.append(backlog.take()))
    worker.start()
    time.sleep(0.05)
    assert worker.is_alive()  # nothing spoken yet: it waits
    backlog.put(7.0)
    worker.join(timeout=5)
    assert taken == [[7.0]]
    waiting = threading.Thread(target=lambda: taken.append(backlog.take()))
    waiting.start()
    backlog.spoken()
    waiting.join(timeout=5)
    assert taken == [[7.0], []]


def test_stop_wakes_every_encoder_and_drops_what_waits() -> None:
    backlog = _backlog()
    results: list[list[float]] = []
    workers = [threading.Thread(target=lambda: results.append(backlog.take())) for _ in range(2)]
    for worker in workers:
        worker.start()
    time.sleep(0.05)
    backlog.stop()
    for worker in workers:
        worker.join(timeout=5)
    assert results == [[], []]
    backlog.put(5.0)
    assert backlog.take() == []


@settings(max_examples=60, deadline=None)
@given(
    lengths=st.lists(st.floats(min_value=0.5, max_value=120.0), min_size=1, max_size=40),
    spoken_after=st.integers(min_value=0, max_value=40),
    encoders=st.integers(min_value=1, max_value=4),
)
def test_every_segment_is_handed_out_once_in_batches_within_the_caps(
    lengths: list[float], spoken_after: int, encoders: int
) -> None:
    backlog = _backlog(encoders=encoders, seconds=40.0, segments=8)
    items = [float(n) + length / 1000 for n, length in enumerate(lengths)]  # all distinct
    batches: list[list[float]] = []
    for n, item in enumerate(items):
        backlog.put(item)
        if n == spoken_after:
            batches.append(backlog.take())
    backlog.spoken()
    while batch := backlog.take():
        batches.append(batch)
    handed = [item for batch in batches for item in batch]
    assert sorted(handed) == sorted(items)
    for batch in batches:
        assert 1 <= len(batch) <= 8
        assert len(batch) == 1 or sum(batch) <= 40.0 + max(batch) / 2


def test_encoders_in_threads_take_everything_exactly_once() -> None:
    backlog = _backlog(encoders=3, seconds=20.0)
    taken: list[float] = []
    lock = threading.Lock()

    def encoder() -> None:
        while batch := backlog.take():
            time.sleep(0.001 * len(batch))
            with lock:
                taken.extend(batch)

    workers = [threading.Thread(target=encoder) for _ in range(3)]
    for worker in workers:
        worker.start()
    items = [float(n) for n in range(1, 200)]
    for item in items:
        backlog.put(item % 17 + 1 + item / 1000)
    backlog.spoken()
    for worker in workers:
        worker.join(timeout=30)
    assert sorted(taken) == sorted(item % 17 + 1 + item / 1000 for item in items)


def test_while_speaking_an_encoder_waits_for_the_least_worth_a_run() -> None:
    backlog: Backlog[float] = Backlog(2, float, batch_seconds=40.0, batch_segments=3, least=10.0)
    taken: list[list[float]] = []
    worker = threading.Thread(target=lambda: taken.append(backlog.take()))
    worker.start()
    backlog.put(3.8)  # a title
    backlog.put(2.1)  # a heading
    time.sleep(0.05)
    assert worker.is_alive()  # 5.9 s is not worth an ffmpeg run yet
    backlog.put(4.2)
    worker.join(timeout=5)
    assert taken == [[3.8, 2.1, 4.2]]
    for length in (1.0, 1.0, 1.0):  # or as many segments as a batch holds
        backlog.put(length)
    assert backlog.take() == [1.0, 1.0, 1.0]


def test_once_spoken_short_leftovers_go_in_one_run() -> None:
    backlog: Backlog[float] = Backlog(2, float, batch_seconds=40.0, batch_segments=8, least=10.0)
    for length in (2.1, 1.7, 1.7, 30.0):
        backlog.put(length)
    backlog.spoken()  # what waits is handed out although it is under 10 s
    assert backlog.take() == [30.0]
    assert backlog.take() == [2.1, 1.7, 1.7]  # not one run each
    assert backlog.take() == []
