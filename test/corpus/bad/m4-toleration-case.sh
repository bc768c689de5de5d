#!/bin/sh
# M4: lowercase toleration operator (copied from the docs).
# expect+2: KBX301
docker buildx create --name tol --driver kubernetes \
  '--driver-opt="nodeselector=label1=value1,label2=value2","tolerations=key=foo,value=bar;key=foo2,operator=exists;key=foo3,effect=NoSchedule"'
