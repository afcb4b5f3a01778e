"""The order an API's classes are defined in: every class after the classes its fields use.

Then pydantic resolves each field's annotation when the class is created, so `model_fields`
and the signature are complete right after import. Ties go alphabetically and classes on a
cycle stay together, as datamodel-code-generator orders them (`--keep-model-order`).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping

from ..spec.model import ObjectType


def dependency_order(types: Iterable[ObjectType]) -> tuple[ObjectType, ...]:
    """`types`, each after the ones it references; alphabetical where that leaves a choice."""
    by_name = {t.class_name: t for t in sorted(types, key=lambda t: t.class_name)}
    uses = {name: _references(t, by_name) for name, t in by_name.items()}
    components = _components(uses)
    rank = {name: index for index, name in enumerate(by_name)}
    components.sort(key=lambda members: rank[members[0]])
    component_of = {name: index for index, members in enumerate(components) for name in members}
    waiting: dict[int, set[int]] = {index: set() for index in range(len(components))}
    dependents: dict[int, set[int]] = {index: set() for index in range(len(components))}
    for name, targets in uses.items():
        for target in targets:
            source, needed = component_of[name], component_of[target]
            if source != needed:
                waiting[source].add(needed)
                dependents[needed].add(source)
    ready = [index for index, needs in waiting.items() if not needs]
    heapq.heapify(ready)
    ordered: list[ObjectType] = []
    while ready:
        index = heapq.heappop(ready)
        ordered += [by_name[name] for name in components[index]]
        for dependent in sorted(dependents[index]):
            waiting[dependent].discard(index)
            if not waiting[dependent]:
                heapq.heappush(ready, dependent)
    return tuple(ordered)


def forward_referencing(ordered: tuple[ObjectType, ...]) -> tuple[str, ...]:
    """The classes that use a class defined after them: they need a rebuild at module end."""
    position = {t.class_name: index for index, t in enumerate(ordered)}
    return tuple(
        t.class_name
        for index, t in enumerate(ordered)
        if any(position[name] > index for name in _references(t, position))
    )


def _references(object_type: ObjectType, known: Mapping[str, object]) -> set[str]:
    return {
        f.top_type.class_name
        for f in object_type.fields
        if f.top_type.class_name is not None and f.top_type.class_name in known
    }


def _components(uses: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components (Tarjan's algorithm, iterative), members sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in uses:
        if root in index:
            continue
        work = [(root, iter(sorted(uses[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is None:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    members = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        members.append(member)
                        if member == node:
                            break
                    found.append(sorted(members))
            elif target not in index:
                index[target] = low[target] = len(index)
                stack.append(target)
                on_stack.add(target)
                work.append((target, iter(sorted(uses[target]))))
            elif target in on_stack:
                low[node] = min(low[node], index[target])
    return found
