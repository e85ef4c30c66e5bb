"""Segments waiting to be encoded, handed to encoders as batches when they are free.

Speech runs ahead of encoding (espeak-ng speaks a minute of audio in a
twentieth of the time ffmpeg takes to encode it), so the encoders decide
how the work is shared, not the order it was spoken in:

- while speech goes on, a free encoder takes everything spoken so far, up
  to one batch (``batch_seconds``, ``batch_segments``), as soon as there is
  ``least`` seconds of it: the first segments are encoded as soon as they
  are spoken instead of once a whole batch is, and batches grow to full size
  as speech gets ahead;
- once everything is spoken, a free encoder takes the longest first, then
  its share of what is left (divided by the number of encoders, at least
  ``least`` seconds): the last batches come out about even and every core
  stays busy to the end, instead of one core encoding the last full batch
  alone.

Each batch is one ffmpeg run, which costs about 10 ms of CPU to start:
``least`` keeps short headings from getting a run each.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")


class Backlog(Generic[Item]):
    """A thread-safe queue of segments (any item with a length in seconds)."""

    def __init__(
        self,
        encoders: int,
        seconds: Callable[[Item], float],
        *,
        batch_seconds: float,
        batch_segments: int,
        least: float = 0.0,
    ) -> None:
        self.encoders = max(1, encoders)
        self._seconds = seconds
        self.least = least
        self.batch_seconds = batch_seconds
        self.batch_segments = batch_segments
        self._waiting: deque[Item] = deque()
        self._left = 0.0
        """Seconds of audio waiting."""
        self._changed = threading.Condition()
        self._spoken = False
        self._stopped = False

    def put(self, item: Item) -> None:
        """One more segment to encode."""
        with self._changed:
            self._waiting.append(item)
            self._left += self._seconds(item)
            self._changed.notify()

    def spoken(self) -> None:
        """Everything is spoken: nothing more will be put. What waits is handed out longest
        first, so the short segments even out the end (a book's long reference list, spoken
        last, would otherwise be encoded last, on one core)."""
        with self._changed:
            self._spoken = True
            self._waiting = deque(sorted(self._waiting, key=self._seconds, reverse=True))
            self._changed.notify_all()

    def stop(self) -> None:
        """Hand out nothing more (a failure or an interruption elsewhere)."""
        with self._changed:
            self._stopped = True
            self._waiting.clear()
            self._left = 0.0
            self._changed.notify_all()

    def _enough(self) -> bool:
        return bool(self._waiting) and (
            self._left >= self.least or len(self._waiting) >= self.batch_segments
        )

    def __len__(self) -> int:
        with self._changed:
            return len(self._waiting)

    def take(self) -> list[Item]:
        """The next batch, waiting for speech if need be; empty once everything is handed out."""
        with self._changed:
            while not (self._spoken or self._stopped or self._enough()):
                self._changed.wait()
            if self._stopped or not self._waiting:
                return []
            share = self.batch_seconds
            if self._spoken:  # what is left, shared out evenly between the encoders
                share = min(share, max(self.least, self._left / self.encoders))
            batch = [self._waiting.popleft()]
            taken = self._seconds(batch[0])
            while self._waiting and len(batch) < self.batch_segments:
                more = self._seconds(self._waiting[0])
                if taken + more / 2 >= share:  # no nearer the share with it
                    break
                batch.append(self._waiting.popleft())
                taken += more
            self._left = self._left - taken if self._waiting else 0.0
            return batch
