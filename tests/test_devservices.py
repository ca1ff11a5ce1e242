"""The local services' own helpers, where a mistake breaks every test that needs a broker."""

from infra.devservices.kafka import _kafka_cluster_id


def test_cluster_ids_never_start_with_a_dash() -> None:
    """Kafka's storage tool reads `-t -abc` as a missing value; one random id in 64 starts
    with "-" (base64url), so 2,000 draws meet that case with certainty 1 - (63/64)^2000."""
    ids = [_kafka_cluster_id() for _ in range(2000)]
    assert not [i for i in ids if i.startswith("-")]
    assert all(len(i) == 22 for i in ids)
    assert len(set(ids)) == len(ids)
