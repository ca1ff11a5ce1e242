"""The process edge: Prefect flows, sources, sinks and the CLI.

Every entry point (the `newsflow` command, Prefect deployments, the bench's consumers) imports this
package before numpy is loaded, which is when OpenBLAS reads its thread count. spaCy's small
pipelines multiply small matrices, where OpenBLAS's worker threads cost more than they give:
`nlp.pipe` ran 14 % faster with one (11.2-11.6 s against 12.8-13.3 s for 128 articles, three
pairs of runs on 2 cores), and a consumer per core would only have them compete. An operator's own
`OPENBLAS_NUM_THREADS` wins.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
