"""kolplan.repo.files.read_capped, reading a plan's bytes: exactly what is there, never more than the cap."""

from __future__ import annotations

import io

import pytest

from kolplan.repo.files import MAX_READ, read_capped


@pytest.mark.parametrize("content", [b"", b"a: 1\n", b"x" * 5000, b"y" * (MAX_READ - 1), b"z" * MAX_READ])
def test_reads_the_whole_file_when_the_size_is_right(content: bytes) -> None:
    assert read_capped(io.BytesIO(content), len(content)) == content[:MAX_READ]


def test_a_file_that_grew_since_its_stat_is_read_to_its_end() -> None:
    content = b"a: 1\n" * 1000
    assert read_capped(io.BytesIO(content), 10) == content
    assert read_capped(io.BytesIO(content), 0) == content


def test_a_file_that_shrank_since_its_stat_is_read_as_it_is_now() -> None:
    assert read_capped(io.BytesIO(b"a: 1\n"), 4000) == b"a: 1\n"


@pytest.mark.parametrize("stated", [0, 100, MAX_READ * 3])
def test_never_more_than_the_cap(stated: int) -> None:
    huge = b"h" * (MAX_READ * 2)
    assert read_capped(io.BytesIO(huge), stated) == huge[:MAX_READ]
