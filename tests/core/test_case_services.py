"""A case's services (marking, citing, review, chronology, transcripts) are made on
first use, so a command that only lists or searches loads none of their code, and
made once, even by two threads asking at the same moment."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.marks import marking as marking_module


def test_each_service_is_made_on_first_use_and_kept(tmp_path: Path) -> None:
    with Case.create(tmp_path / "case") as case:
        names = ("marking", "citing", "review", "chronology", "transcripts")
        assert not set(names) & set(vars(case))
        made = {name: getattr(case, name) for name in names}
        assert all(getattr(case, name) is made[name] for name in names)
        assert made["marking"].marks() == []  # a working service of this case


def test_two_threads_meeting_on_first_use_share_one_marking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[object] = []
    real_init = marking_module.Marking.__init__

    def slow_init(self: marking_module.Marking, case: Case) -> None:
        made.append(self)
        time.sleep(0.2)  # long enough for the other thread to ask meanwhile
        real_init(self, case)

    monkeypatch.setattr(marking_module.Marking, "__init__", slow_init)
    with Case.create(tmp_path / "case") as case:
        seen: list[object] = []
        threads = [threading.Thread(target=lambda: seen.append(case.marking)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(made) == 1
        assert seen == [made[0], made[0]] and case.marking is made[0]
