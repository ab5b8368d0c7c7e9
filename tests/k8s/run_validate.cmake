# ctest driver for validate.mjs: fails with a clear message when Node or node_modules is missing.
if(NOT NODE)
  message(FATAL_ERROR "node was not found: install Node.js 20 to run the Kubernetes manifest test")
endif()
if(NOT EXISTS ${DIR}/node_modules/kubernetes-models OR NOT EXISTS ${DIR}/node_modules/yaml)
  message(FATAL_ERROR "tests/k8s/node_modules is missing: run `npm ci --ignore-scripts --prefix tests/k8s` "
                      "from the repository root first")
endif()
execute_process(COMMAND ${NODE} validate.mjs WORKING_DIRECTORY ${DIR} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "validate.mjs failed (exit ${rc}): see the FAIL lines above")
endif()
