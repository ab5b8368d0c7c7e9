# ctest driver for run.mjs: fails with a clear message when Node or node_modules is missing.
if(NOT NODE)
  message(FATAL_ERROR "node was not found: install Node.js 20 to run the official-client tests")
endif()
if(NOT EXISTS ${DIR}/node_modules/masto OR NOT EXISTS ${DIR}/node_modules/twitter-api-v2)
  message(FATAL_ERROR "tests/clients/node_modules is missing: run `npm ci --ignore-scripts --prefix tests/clients` "
                      "from the repository root first")
endif()
execute_process(COMMAND ${NODE} run.mjs ${BIN_DIR} WORKING_DIRECTORY ${DIR} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "run.mjs failed (exit ${rc})")
endif()
