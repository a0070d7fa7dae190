# ah_share: gathers what the server reads at start into ${AH_SHARE_DIR}:
#   templates/  every *.mustache of src/web/templates, src/modules/*/templates and of
#               sub-modules, src/modules/*/*/templates (flat;
#               names must be unique across modules)
#   i18n/       src/web/i18n/{de,en}.json, and each module's src/modules/M/i18n/{de,en}.json
#               (or a sub-module's src/modules/G/M/i18n) as M.de.json / M.en.json (a module owns its texts; keys must be unique)
#   data/       reference data (data/*: Gemeinden, Kreis boundaries, SOURCE.md)
#   assets/     the files listed in assets/manifest.txt (from node_modules and assets/),
#               plus the manifest itself
#   fonts/      DejaVu Sans regular and bold with their licence, from Debian's
#               fonts-dejavu-core, for the PDF posters (src/poster); TrueType, which libhpdf
#               needs (the web fonts in node_modules are WOFF2 only)
# The build tree's binary finds it next to itself (build/share/augenhoehe); `install`
# puts it in PREFIX/share/augenhoehe.
set(AH_SHARE_DIR ${CMAKE_BINARY_DIR}/share/augenhoehe)

file(GLOB AH_TEMPLATES CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/src/web/templates/*.mustache
     ${CMAKE_SOURCE_DIR}/src/modules/*/templates/*.mustache
     ${CMAKE_SOURCE_DIR}/src/modules/*/*/templates/*.mustache)
file(GLOB AH_CATALOGUES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/web/i18n/*.json)
file(GLOB AH_MODULE_CATALOGUES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/modules/*/i18n/*.json
     ${CMAKE_SOURCE_DIR}/src/modules/*/*/i18n/*.json)
file(GLOB AH_DATA_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/data/*)

set(AH_SHARE_OUTPUTS)
# ah_share_copy(SRC RELATIVE_OUT): copies SRC to ${AH_SHARE_DIR}/RELATIVE_OUT at build time.
macro(ah_share_copy src relative_out)
  add_custom_command(OUTPUT ${AH_SHARE_DIR}/${relative_out}
                     COMMAND ${CMAKE_COMMAND} -E copy ${src} ${AH_SHARE_DIR}/${relative_out}
                     DEPENDS ${src})
  list(APPEND AH_SHARE_OUTPUTS ${AH_SHARE_DIR}/${relative_out})
endmacro()

set(AH_TEMPLATE_NAMES)
foreach(src ${AH_TEMPLATES})
  get_filename_component(name ${src} NAME)
  if(name IN_LIST AH_TEMPLATE_NAMES)
    message(FATAL_ERROR "template name ${name} is used twice; prefix it with the module name")
  endif()
  list(APPEND AH_TEMPLATE_NAMES ${name})
  ah_share_copy(${src} templates/${name})
endforeach()
foreach(src ${AH_CATALOGUES})
  get_filename_component(name ${src} NAME)
  ah_share_copy(${src} i18n/${name})
endforeach()
foreach(src ${AH_MODULE_CATALOGUES})
  get_filename_component(name ${src} NAME)
  get_filename_component(i18n_dir ${src} DIRECTORY)
  get_filename_component(module_dir ${i18n_dir} DIRECTORY)
  get_filename_component(module ${module_dir} NAME)
  ah_share_copy(${src} i18n/${module}.${name})
endforeach()
foreach(src ${AH_DATA_FILES})
  get_filename_component(name ${src} NAME)
  ah_share_copy(${src} data/${name})
endforeach()

set(AH_MANIFEST ${CMAKE_SOURCE_DIR}/assets/manifest.txt)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${AH_MANIFEST})
# One list element a line; semicolons inside comments must not split lines.
file(READ ${AH_MANIFEST} AH_MANIFEST_TEXT)
string(REPLACE ";" "," AH_MANIFEST_TEXT "${AH_MANIFEST_TEXT}")
string(REPLACE "\n" ";" AH_MANIFEST_LINES "${AH_MANIFEST_TEXT}")
foreach(line ${AH_MANIFEST_LINES})
  if(line MATCHES "^[ \t]*#" OR line MATCHES "^[ \t]*$")
    continue()
  endif()
  separate_arguments(fields UNIX_COMMAND "${line}")
  list(LENGTH fields n)
  if(NOT n EQUAL 3)
    message(FATAL_ERROR "assets/manifest.txt: expected KEY SOURCE TARGET, got: ${line}")
  endif()
  list(GET fields 1 source)
  list(GET fields 2 target)
  set(src ${CMAKE_SOURCE_DIR}/${source})
  if(NOT EXISTS ${src})
    message(FATAL_ERROR "asset ${source} is missing: run 'npm ci' in ${CMAKE_SOURCE_DIR} first "
                        "(scripts/run and scripts/test do it)")
  endif()
  ah_share_copy(${src} assets/${target})
endforeach()
ah_share_copy(${AH_MANIFEST} assets/manifest.txt)

# Bitstream Vera licence with DejaVu's public-domain changes: free to embed and to ship.
foreach(font DejaVuSans.ttf DejaVuSans-Bold.ttf)
  find_file(AH_FONT_${font} ${font} PATHS /usr/share/fonts/truetype/dejavu NO_DEFAULT_PATH)
  if(NOT AH_FONT_${font})
    message(FATAL_ERROR "${font} is missing: install the Debian package fonts-dejavu-core")
  endif()
  ah_share_copy(${AH_FONT_${font}} fonts/${font})
endforeach()
ah_share_copy(/usr/share/doc/fonts-dejavu-core/copyright fonts/DejaVu-LICENSE.txt)

add_custom_target(ah_share ALL DEPENDS ${AH_SHARE_OUTPUTS})
install(DIRECTORY ${AH_SHARE_DIR} DESTINATION share)
