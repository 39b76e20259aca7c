"""The local executor: results in the order of the tasks, from forked processes, threads or
this one; what the tasks share reaches the processes through fork; a task's error is raised."""

from __future__ import annotations

import os
import threading
import time

import pytest

from builder.executor_local import LocalExecutor


def _slow_first(shared: dict[str, int], task: int) -> tuple[int, int, int]:
    # The earlier a task, the longer it takes: results finish out of order.
    time.sleep(0.02 * (8 - task % 8))
    return task, task * shared["factor"], os.getpid()


def _fails_on(shared: int, task: int) -> int:
    if task == shared:
        raise ValueError(f"task {task} failed")
    return task


@pytest.mark.parametrize("as_list", [True, False])
def test_results_come_in_the_order_of_the_tasks_from_several_processes(as_list: bool) -> None:
    tasks = list(range(24))
    shared = {"factor": 3}
    given = tasks if as_list else iter(tasks)

    results = list(LocalExecutor(2).map(_slow_first, shared, given))

    assert [(t, v) for t, v, _ in results] == [(t, 3 * t) for t in tasks]
    if (os.cpu_count() or 1) > 1:
        assert len({pid for _, _, pid in results}) == 2  # this process and one forked
        assert os.getpid() in {pid for _, _, pid in results}


def test_work_that_waits_runs_in_threads_of_this_process() -> None:
    results = list(LocalExecutor(2).map(_slow_first, {"factor": 1}, range(10), waits=True))
    assert [t for t, _, _ in results] == list(range(10))
    assert {pid for _, _, pid in results} == {os.getpid()}


def test_one_task_runs_here_without_forking() -> None:
    assert [pid for _, _, pid in LocalExecutor(2).map(_slow_first, {"factor": 1}, [5])] == [
        os.getpid()
    ]


@pytest.mark.parametrize("waits", [False, True])
def test_a_tasks_error_is_raised_to_the_caller(waits: bool) -> None:
    with pytest.raises(ValueError, match="task 7 failed"):
        list(LocalExecutor(2).map(_fails_on, 7, list(range(20)), waits=waits))


def _lock_held(shared: int, task: tuple[int, object]) -> tuple[int, int, bool]:
    number, lock = task
    return number * shared, os.getpid(), isinstance(lock, type(threading.Lock()))


def test_a_forked_pool_holds_its_tasks_without_pickling_them() -> None:
    """`forked_pool`: its processes inherit the tasks and what they share through fork, and
    are sent only indices; a task that cannot be pickled (it holds a lock) runs there."""
    from builder.executor_local import forked_pool, run_listed

    tasks = [(number, threading.Lock()) for number in range(6)]
    with forked_pool(2, 10, tasks) as pool:
        results = [pool.submit(run_listed, _lock_held, index) for index in range(len(tasks))]
        values = [future.result() for future in results]
    assert [(value, lock) for value, _, lock in values] == [(10 * n, True) for n in range(6)]
    assert os.getpid() not in {pid for _, pid, _ in values}
