"""Which users the sandbox's app receives messages for, and the groups they are in."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from .hub import DEFAULT_GROUP

SESSION_NICK_PREFIX = "sandbox-user-"
DEFAULT_NICK, DEFAULT_USER_ID = "sandbox-user", 1  # whose messages have no session
MAX_GROUP_NAME = 32


@dataclass
class User:
    """A user whose messages the app receives (taobao.tmc.user.permit)."""

    user_id: int
    nick: str
    topics: list[str]
    created: datetime
    modified: datetime


def session_user(session: str) -> tuple[int, str]:
    """The sandbox's user behind a session: an id and nick derived from it, never the session."""
    digest = hashlib.sha256(session.encode()).hexdigest()
    return int(digest[:12], 16), SESSION_NICK_PREFIX + digest[:8]


def group_name_problem(name: str) -> str | None:
    """Why `name` cannot be a custom group's name (TOP's rules), or None."""
    if not name or len(name) > MAX_GROUP_NAME:
        return f"a group name has 1 to {MAX_GROUP_NAME} characters"
    if name.startswith(DEFAULT_GROUP):
        return f"a custom group's name cannot start with {DEFAULT_GROUP!r}"
    return None


@dataclass
class Registry:
    """Permitted users by nick, and the custom groups with their members; `saved` is told of
    each change (the --state file keeps them)."""

    users: dict[str, User] = field(default_factory=dict)
    groups: dict[str, datetime] = field(default_factory=dict)
    members: dict[str, str] = field(default_factory=dict)  # nick -> custom group
    saved: Callable[[Registry], None] | None = field(default=None, repr=False, compare=False)

    def _changed(self) -> None:
        if self.saved is not None:
            self.saved(self)

    def group_of(self, nick: str) -> str:
        """The group that receives a user's messages."""
        return self.members.get(nick, DEFAULT_GROUP)

    def permit(self, user_id: int, nick: str, topics: list[str], now: datetime) -> None:
        """Receive the user's messages (on these topics, or all the app's when empty)."""
        known = self.users.get(nick)
        created = known.created if known else now
        self.users[nick] = User(user_id, nick, topics, created, now)
        self._changed()

    def cancel(self, nick: str) -> bool:
        """Stop receiving the user's messages; whether the user was permitted."""
        member = self.members.pop(nick, None) is not None
        known = self.users.pop(nick, None) is not None
        if known or member:
            self._changed()
        return known

    def add_group(self, name: str, nicks: list[str], now: datetime) -> datetime:
        """Create the group if new and move the users into it; when it was created."""
        created = self.groups.setdefault(name, now)
        for nick in nicks:
            self.members[nick] = name
        self._changed()
        return created

    def delete_group(self, name: str, nicks: list[str]) -> bool:
        """Move these users (all, when none are named) back to the default group."""
        if name not in self.groups:
            return False
        for nick in nicks or [n for n, group in self.members.items() if group == name]:
            if self.members.get(nick) == name:
                del self.members[nick]
        if not nicks or name not in self.members.values():
            del self.groups[name]
        self._changed()
        return True


def dump_registry(registry: Registry) -> str:
    """The registry as JSON text, dates in ISO 8601."""
    users = {nick: asdict(user) for nick, user in registry.users.items()}
    for user in users.values():
        for moment in ("created", "modified"):
            user[moment] = user[moment].isoformat()
    groups = {name: created.isoformat() for name, created in registry.groups.items()}
    state = {"users": users, "groups": groups, "members": registry.members}
    return json.dumps(state, ensure_ascii=False, sort_keys=True)


def load_registry(text: str) -> Registry:
    """The registry `dump_registry` wrote; ValueError saying what does not fit."""
    state: Any = json.loads(text)
    try:
        users = {
            nick: User(
                int(user["user_id"]),
                str(user["nick"]),
                [str(topic) for topic in user["topics"]],
                datetime.fromisoformat(user["created"]),
                datetime.fromisoformat(user["modified"]),
            )
            for nick, user in state["users"].items()
        }
        groups = {str(name): datetime.fromisoformat(d) for name, d in state["groups"].items()}
        members = {str(nick): str(group) for nick, group in state["members"].items()}
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"the users and groups do not fit: {exc!r}") from None
    return Registry(users, groups, members)
