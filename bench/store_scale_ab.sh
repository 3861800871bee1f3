#!/bin/bash
# usage: BASE_SRC=<old>/src STORE=<store built by the old code> bench/store_scale_ab.sh ROUNDS "base new"
# A/B: per round, per code (base, new), per kind: +1,000 into an empty store and into a copy of the
# 100k store (built once by the base code). For the new code the copy is first opened (migrated to
# schema 5) and settled: texts of clean regions get linked = 2, the state the new code leaves them in.
cd "$(dirname "$0")/.."
PY=${PY:-python}; BASE_SRC=${BASE_SRC:?set BASE_SRC to the src/ of the code before}; STORE=${STORE:?set STORE to the 100k store}; W=${W:-/tmp}
for r in $(seq 1 $1); do
for code in $2; do
  if [ $code = base ]; then SRC=$BASE_SRC; else SRC=src; fi
  for kind in new follow; do
    rm -f $W/e.db* $W/c.db*; cp $STORE $W/c.db
    if [ $code = new ]; then
      PYTHONPATH=$SRC $PY -c "
import sqlite3
from newstrace import Corpus
Corpus('$W/c.db').close()
c = sqlite3.connect('$W/c.db')
c.execute('UPDATE texts SET linked = 2 WHERE linked = 1 AND region NOT IN (SELECT region FROM dirty_regions)')
c.commit()"
    fi
    e=$(PYTHONPATH=$SRC $PY bench/store_scale.py --child add $W/e.db $kind | tail -1)
    s=$(PYTHONPATH=$SRC $PY bench/store_scale.py --child add $W/c.db $kind | tail -1)
    $PY -c "
import sqlite3, json
c = sqlite3.connect('$W/c.db')
rows = c.execute('SELECT s.id, s.members_hash, s.n_articles, s.n_outlets, s.first_published, s.last_published, s.title, s.n_sources, s.origin_id, s.payload, s.search_text FROM stories s ORDER BY s.id').fetchall()
m = c.execute('SELECT article_id, story_id FROM story_members ORDER BY article_id').fetchall()
f = c.execute('SELECT kind, value, story_id FROM story_facets ORDER BY 1,2,3').fetchall()
import hashlib; print(hashlib.sha1(json.dumps([rows, m, f]).encode()).hexdigest()[:12])" > $W/digest-$code-$kind-$r
    echo "{\"round\": $r, \"code\": \"$code\", \"kind\": \"$kind\", \"load\": \"$(cut -d' ' -f1 /proc/loadavg)\", \"digest\": \"$(cat $W/digest-$code-$kind-$r)\", \"empty\": $e, \"store\": $s}"
  done
done
done
