"""Running the model's graph (NLU for each message, the policies for each prediction) went
through dask's scheduler, which plans the same small graph again at every call: 9% of the
server's CPU was dask itself. The same nodes now run in the same dependency order from a plan
made once per set of targets, each given the same inputs as under dask (a needed name that
no node makes is passed as the name itself, as dask passes it).
"""
from __future__ import annotations

from typing import Any, Optional

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner

DASK_RUN = DaskGraphRunner.run  # Rasa's own, kept for the tests that compare the two


def _plan(runner: DaskGraphRunner, targets: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """The nodes the targets need, each after the nodes it needs, with the names it takes."""
    plans = runner.__dict__.setdefault("_lean_plans", {})
    if targets not in plans:
        nodes = runner._graph_schema.minimal_graph_schema(list(targets)).nodes
        order: list[tuple[str, list[str]]] = []
        placed: set[str] = set()

        def place(name: str) -> None:
            if name in placed or name not in nodes:
                return
            placed.add(name)
            needs = list(nodes[name].needs.values())
            for need in needs:
                place(need)
            order.append((name, needs))

        for target in targets:
            place(target)
        plans[targets] = order
    return plans[targets]


def run_in_order(
    self: DaskGraphRunner, inputs: Optional[dict[str, Any]] = None, targets: Optional[list[str]] = None
) -> dict[str, Any]:
    """`DaskGraphRunner.run` without dask: the same nodes, inputs, results and errors."""
    run_targets = tuple(targets if targets else self._graph_schema.target_names)
    plan = _plan(self, run_targets)
    results: dict[str, Any] = {}
    graph_names = {name for name, _ in plan}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and (value in graph_names or value in results):
            raise GraphRunError(f"Input value '{value}' clashes with a node name. Make sure "
                                "that none of the input names passed to the `run` method are "
                                "the same as node names in the graph schema.")
        results[name] = (name, value)
    try:
        for name, needs in plan:
            if inputs and name in inputs:  # an input named as a node stands in for it, as in dask
                continue
            node = self._instantiated_nodes[name]
            results[name] = node(*(results.get(need, need) for need in needs))
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error
    return dict(results[target] for target in run_targets)
