"""What a typed message says, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Understanding:
    """What a message says; every field is None when the message does not say it.

    ``command`` is back/restart (also given as ``intent``); ``region`` is a region code of the catalog;
    ``region_options`` are the regions (two or more provinces) a same-name place may mean when the
    message does not say which (朝阳区: 北京 or 长春); ``place`` is the official name of the place named
    when it is more specific than ``region`` (湘潭市, whose guide is 湖南省's general one);
    ``who`` lists whom the insurance is for (self, child, parent ...; see ``WHO``), in order of mention;
    ``people`` is how many people when the message says (一家三口: 3); ``rejected`` holds the (slot, value)
    pairs the message refuses (不要微信了: channel wechat), so a value chosen earlier can be dropped;
    ``intent_guessed`` is True when the statistical fallback's intent replaced the rules' reading (its
    arbiter preferred it; None when the model read no intent) (on by default: ``parse.USE_FALLBACK``;
    ``understand(..., use_fallback=False)`` gives the rules alone);
    ``amount`` is a money figure (a contribution base such as 基数5000, or an amount such as 300元);
    ``other_way`` is True when the message asks for another way than the one named or in use (还有别的办法
    吗): with no channel named, the wizard drops the channel chosen before.
    """

    command: str | None = None
    identity: str | None = None
    region: str | None = None
    region_options: tuple[str, ...] = ()
    place: str = ""
    channel: str | None = None
    intent: str | None = None
    intent_guessed: bool = False
    amount: Decimal | None = None
    who: tuple[str, ...] = ()
    people: int | None = None
    rejected: tuple[tuple[str, str], ...] = ()
    other_way: bool = False

    @property
    def slots_found(self) -> bool:
        """True when the message names an identity, a region or a channel."""
        return any((self.identity, self.region, self.channel))
