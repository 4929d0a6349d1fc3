# Triples the three deps-*.txt texts do not state in words, inserted for the query, dependency and
# network tests (tests/test_queries.py, test_deps.py, test_network.py): a lead unit for 二(一),
# a platform that one action builds and others rely on or focus on, and four quantitative targets.
# Everything uses the documented vocabulary (DESIGN.md) and finds its sections by 文号 and path.
PREFIX pk: <https://w3id.org/policykg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

# 区科委 leads 二(一) 数据汇聚 of 普府办〔2023〕5号
INSERT { GRAPH ?g { ?s pk:leadUnit ?u ; pk:responsibleUnit ?u } }
WHERE { GRAPH ?g { ?g pk:docNumber "普府办〔2023〕5号" . ?s pk:path "2.1" . ?u skos:prefLabel "上海市普陀区科学技术委员会" } } ;

# the platform: built by 数据目录 (2.1.2), relied on by 数据开放 (2.2.1), focused on by 数据安全 (2.2.2)
INSERT { GRAPH ?g { <https://w3id.org/policykg/id/entity/普陀区公共数据平台> a pk:Platform , pk:NamedThing ;
                      rdfs:label "普陀区公共数据平台" ; skos:altLabel "公共数据平台" .
                    ?b pk:builds <https://w3id.org/policykg/id/entity/普陀区公共数据平台> .
                    ?r pk:reliesOn <https://w3id.org/policykg/id/entity/普陀区公共数据平台> .
                    ?f pk:focusesOn <https://w3id.org/policykg/id/entity/普陀区公共数据平台> . } }
WHERE { GRAPH ?g { ?g pk:docNumber "普府办〔2023〕5号" .
                   ?b pk:path "2.1.2" . ?r pk:path "2.2.1" . ?f pk:path "2.2.2" . } } ;

# 场景推广 (1.1.1) of 普府办〔2023〕7号 relies on the same platform
INSERT { GRAPH ?g { <https://w3id.org/policykg/id/entity/普陀区公共数据平台> a pk:Platform , pk:NamedThing ;
                      rdfs:label "普陀区公共数据平台" ; skos:altLabel "公共数据平台" .
                    ?r pk:reliesOn <https://w3id.org/policykg/id/entity/普陀区公共数据平台> . } }
WHERE { GRAPH ?g { ?g pk:docNumber "普府办〔2023〕7号" . ?r pk:path "1.1.1" . } } ;

# T1 in 数据归集 (2.1.1), T2 in the goal 数据质量 (1.1, nobody owns it), T3 a range in 数据开放 (2.2.1)
INSERT { GRAPH ?g {
  ?t1 a pk:Target ; rdfs:label "公共数据归集率达到95%" ; pk:metric "公共数据归集率" ; pk:comparator ">=" ;
      pk:value 95.0 ; pk:unit "%" ; pk:normalizedValue 95.0 ; pk:normalizedUnit "%" ;
      pk:deadline "2023-12-31"^^xsd:date ; pk:statedIn ?s1 .
  ?s1 pk:hasTarget ?t1 .
  ?t2 a pk:Target ; rdfs:label "数据质量合格率超过90%" ; pk:metric "数据质量合格率" ; pk:comparator ">" ;
      pk:value 90.0 ; pk:unit "%" ; pk:normalizedValue 90.0 ; pk:normalizedUnit "%" ;
      pk:deadline "2024-06-30"^^xsd:date ; pk:statedIn ?s2 .
  ?s2 pk:hasTarget ?t2 .
  ?t3 a pk:Target ; rdfs:label "开放数据集2000—3000个" ; pk:metric "开放数据集" ; pk:comparator "range" ;
      pk:valueMin 2000.0 ; pk:valueMax 3000.0 ; pk:unit "个" ; pk:normalizedValueMin 2000.0 ;
      pk:normalizedValueMax 3000.0 ; pk:normalizedUnit "个" ; pk:deadline "2023-06-30"^^xsd:date ; pk:statedIn ?s3 .
  ?s3 pk:hasTarget ?t3 . } }
WHERE { GRAPH ?g { ?g pk:docNumber "普府办〔2023〕5号" . ?s1 pk:path "2.1.1" . ?s2 pk:path "1.1" . ?s3 pk:path "2.2.1" . }
        BIND(IRI(CONCAT(STR(?g), "/t/x1")) AS ?t1) BIND(IRI(CONCAT(STR(?g), "/t/x2")) AS ?t2)
        BIND(IRI(CONCAT(STR(?g), "/t/x3")) AS ?t3) } ;

# T4 in 场景推广 (1.1.1) of 普府办〔2023〕7号: the same metric as T1, a higher value
INSERT { GRAPH ?g {
  ?t4 a pk:Target ; rdfs:label "公共数据归集率达到99%" ; pk:metric "公共数据归集率" ; pk:comparator ">=" ;
      pk:value 99.0 ; pk:unit "%" ; pk:normalizedValue 99.0 ; pk:normalizedUnit "%" ;
      pk:deadline "2025-12-31"^^xsd:date ; pk:statedIn ?s .
  ?s pk:hasTarget ?t4 . } }
WHERE { GRAPH ?g { ?g pk:docNumber "普府办〔2023〕7号" . ?s pk:path "1.1.1" . }
        BIND(IRI(CONCAT(STR(?g), "/t/x4")) AS ?t4) }
