// Types for the natural submodules the local triage model imports file by file: the package index and the submodule
// indexes pull in the POS tagger data and every language's sentiment lexicon (megabytes in each Lambda bundle).
declare module 'natural/lib/natural/classifiers/bayes_classifier' {
  import type { BayesClassifier } from 'natural/lib/natural/classifiers';
  const Bayes: typeof BayesClassifier;
  export = Bayes;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer' {
  import type { PorterStemmer } from 'natural/lib/natural/stemmers';
  const Porter: typeof PorterStemmer;
  export = Porter;
}
declare module 'natural/lib/natural/tokenizers/regexp_tokenizer' {
  export { WordTokenizer } from 'natural/lib/natural/tokenizers';
}
