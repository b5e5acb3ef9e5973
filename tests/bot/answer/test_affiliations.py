"""Whom a person works for: a role at an organisation the passages give the person at another is found out."""

import pytest

from bot.answer.affiliations import roles_of_others
from bot.answer.claims import Evidence, problems

NETCRAFT = (
    "On 21 October, the George W Bush website began using the services of a company called Akamai."
    " Mike Prettejohn, president of Netcraft, speculated that the blocking decision might have been taken to cut"
    " costs. Akamai declined to comment."
)
ITS_PRESIDENT = "Netcraft watches traffic across many sites. Its president, Mike Prettejohn, said costs mattered."
TYMOSHENKO = "Prime Minister Yulia Tymoshenko said as many as 3,000 firms could be reviewed."
RENAULT = (
    'Chairman Louis Schweitzer said 2004 had been a "great year" for the firm.'
    " Nissan chairman Carlos Ghosn is to succeed Mr Schweitzer at the head of Renault later this year."
)


@pytest.mark.parametrize(
    ("claim", "passage", "problems_found"),
    [
        # the role is at another organisation, though the claimed one is named a sentence away
        ("Akamai's president, Mike Prettejohn, speculated that it cut costs.", NETCRAFT, ["role at Akamai"]),
        ("Mike Prettejohn, president of Akamai, speculated that it cut costs.", NETCRAFT, ["role at Akamai"]),
        ("Akamai president Mike Prettejohn speculated that it cut costs.", NETCRAFT, ["role at Akamai"]),
        ("Netcraft's president, Mike Prettejohn, speculated that it cut costs.", NETCRAFT, []),
        ("Mike Prettejohn, president of Netcraft, speculated that it cut costs.", NETCRAFT, []),
        # the organisation named just before a sentence naming only the person ("Its president, …")
        ("Netcraft's president, Mike Prettejohn, said costs mattered.", ITS_PRESIDENT, []),
        # a country is no employer; a person the passage does not name, or no role, is for the other checks
        ("Ukraine's prime minister, Yulia Tymoshenko, said 3,000 firms could be reviewed.", TYMOSHENKO, []),
        ("Akamai's president, John Smith, declined to comment.", NETCRAFT, []),
        ("Mike Prettejohn speculated that Akamai cut costs.", NETCRAFT, []),
        # a sentence naming the person and the organisation, but giving its role to someone else
        ("Nissan's chairman Louis Schweitzer said 2004 had been a great year.", RENAULT, ["role at Nissan"]),
        ("Nissan chairman Carlos Ghosn is to succeed Mr Schweitzer.", RENAULT, []),
    ],
)
def test_roles_of_others(claim, passage, problems_found):
    assert roles_of_others(claim, [passage]) == problems_found


def test_the_claim_checks_drop_a_role_at_the_wrong_organisation():
    evidence = [Evidence(NETCRAFT, None, body=NETCRAFT)]
    claim = "Akamai's president, Mike Prettejohn, speculated that the blocking decision was taken to cut costs."
    assert "role at Akamai" in problems(claim, evidence)
    assert problems(claim.replace("Akamai", "Netcraft"), evidence) == []
