"""HybridRetriever as LlamaIndex's own engines use it: plugged into RetrieverQueryEngine and
CondensePlusContextChatEngine with a mock LLM (which echoes its prompt, so the context it was given shows)."""

from llama_index.core.chat_engine import CondensePlusContextChatEngine
from llama_index.core.llms import MockLLM
from llama_index.core.query_engine import RetrieverQueryEngine

from retrieval.llamaindex import HybridRetriever
from retrieval.searcher import Filters
from tests.conftest import H20_QUESTION, H20_TITLE


def test_retrieve_returns_nodes_with_the_source_as_metadata(seed_library):
    nodes = HybridRetriever(seed_library, top_k=2).retrieve(H20_QUESTION)
    assert len(nodes) == 2
    assert nodes[0].node.metadata["title"] == H20_TITLE
    assert nodes[0].node.metadata["outlet"] == "South China Morning Post"
    assert nodes[0].score == HybridRetriever(seed_library).search(H20_QUESTION).hits[0].score


def test_retriever_query_engine_answers_from_our_passages(seed_library):
    engine = RetrieverQueryEngine.from_args(HybridRetriever(seed_library, top_k=2), llm=MockLLM())
    response = engine.query(H20_QUESTION)
    assert response.source_nodes[0].node.metadata["title"] == H20_TITLE
    assert response.source_nodes[0].node.get_content() in str(response)  # the passage reached the LLM's prompt


def test_condense_plus_context_chat_engine_retrieves_through_it(seed_library):
    retriever = HybridRetriever(seed_library, top_k=3, filters=Filters(outlet="HKFP"))
    chat = CondensePlusContextChatEngine.from_defaults(retriever, llm=MockLLM())
    response = chat.chat("Which bank employee was banned from leaving China?")
    assert response.source_nodes
    assert {n.node.metadata["outlet"] for n in response.source_nodes} == {"HKFP"}
    assert "Wells Fargo" in str(response)
