// The handbook's search: Material's search worker, with the reader's question tidied before it is
// searched and the results ordered so that the pages matching most of the reader's words, and
// their rarest words, come first.
//
// Why: Material ranks a query such as "pain pump" like "pain" alone (a word on every page), lets
// small words ("in", "my") match as prefixes of long ones, and finds nothing for a misspelling.
// Material hands its worker the index and each query as messages; this file stands between them.
// It runs as a real Worker online and, from file://, inside the iframe-worker shim.
(function () {
  "use strict";

  var SETUP = 0, QUERY = 2, RESULT = 3;
  // Words that say nothing about the topic: lunr's English stop words plus a few more from
  // readers' questions ("will the injection hurt", "what is a nerve block").
  var EXTRA_STOP_WORDS = ["im", "ive", "get", "getting", "help", "helps", "does", "do", "need", "much",
    "many", "long", "there", "thing", "things", "having", "had", "feel", "good", "bad", "best", "mean"];

  // Words readers use for the words the pages use: each is searched for as well.
  var SYNONYMS = {shot: "injection", shots: "injection", jab: "injection", jabs: "injection",
    disk: "disc", disks: "disc", operation: "surgery", op: "surgery", drip: "infusion",
    cortisone: "steroid", backache: "back", tummy: "abdomen", belly: "abdomen"};

  var here = self.document && document.currentScript ? document.currentScript.src : self.location.href;
  var material = new URL(here).searchParams.get("material").split("?")[0];
  var pages = [];        // one entry per page: its address and the word stems of its title, tags and text
  var lastWords = [];    // the reader's words of the query being answered

  // Material's worker answers with postMessage: re-rank its results on the way out.
  var post = self.postMessage.bind(self);
  self.postMessage = function (message) {
    if (message && message.type === RESULT && message.data && message.data.items) {
      message.data.items = rank(message.data.items, lastWords);
    }
    return post.apply(null, [message].concat(Array.prototype.slice.call(arguments, 1)));
  };

  // Material listens with addEventListener("message"): tidy queries on the way in.
  var listen = self.addEventListener.bind(self);
  self.addEventListener = function (type, handler, options) {
    if (type !== "message") return listen(type, handler, options);
    return listen(type, function (event) {
      var data = event.data;
      if (data && data.type === SETUP) {
        setupData = data.data;
        pagesByPath = null;
      }
      if (data && data.type === QUERY) data = {type: QUERY, data: tidy(data.data)};
      return handler({data: data});
    }, options);
  };
  var setupData = null;
  var stems = {};

  function stem(word) {
    if (!(word in stems)) stems[word] = self.lunr.stemmer(new self.lunr.Token(word)).toString();
    return stems[word];
  }

  function isStopWord(word) {
    return !self.lunr.stopWordFilter(new self.lunr.Token(word)) || EXTRA_STOP_WORDS.indexOf(word) !== -1;
  }

  function words(text) {
    return String(text || "").toLowerCase().replace(/<[^>]*>/g, " ").replace(/['’]/g, "")
      .split(/[^a-z0-9]+/).filter(Boolean);
  }

  // The words of the query that carry meaning. Every word is still found as the beginning of a
  // longer one (Material adds *), and a longer word also with one or two letters wrong (~1, ~2).
  function tidy(query) {
    var kept = words(query).filter(function (word) { return !isStopWord(word); });
    lastWords = kept;
    if (!kept.length) return query;
    // The index holds word stems ("crps" is stored as "crp") and Material searches each word as
    // the beginning of a longer one, which lunr does without stemming: so send the stems.
    var terms = kept.map(stem);
    kept.forEach(function (word) {
      if (SYNONYMS[word]) terms.push(stem(SYNONYMS[word]));
      if (word.length >= 5) terms.push(word + "~" + (word.length >= 8 ? 2 : 1));
    });
    return terms.join(" ");
  }

  function buildPages() {
    var byPage = {};
    pages = [];
    setupData.docs.forEach(function (doc) {
      var path = doc.location.split("#")[0];
      var page = byPage[path];
      if (!page) {
        page = byPage[path] = {path: path, strong: {}, heads: [], names: [], all: {}};
        pages.push(page);
      }
      if (doc.location === path) {
        [doc.title].concat(doc.tags || []).forEach(function (name) {
          page.names.push(words(name).filter(function (w) { return !isStopWord(w); }).map(stem));
        });
      }
      var strongText = (doc.location === path ? doc.title + " " : "") + (doc.tags || []).join(" ");
      words(strongText).forEach(function (w) { page.strong[stem(w)] = page.all[stem(w)] = true; });
      if (doc.location !== path) page.heads.push(words(doc.title).map(stem));
      words(doc.title + " " + doc.text).forEach(function (w) { page.all[stem(w)] = true; });
    });
    pages.forEach(function (page) {
      page.allList = Object.keys(page.all);
      page.strongList = Object.keys(page.strong);
    });
    return byPage;
  }

  var pagesByPath = null;

  // Does a list of stems hold this word: exactly, as a prefix, or (longer words) with a typo?
  function holds(stems, word, stemmed) {
    for (var i = 0; i < stems.length; i++) {
      var s = stems[i];
      if (s === stemmed || (stemmed.length >= 3 && s.lastIndexOf(stemmed, 0) === 0)) return true;
      if (word.length >= 5 && Math.abs(s.length - stemmed.length) <= 2 &&
          close(s, stemmed, word.length >= 8 ? 2 : 1)) return true;
    }
    return false;
  }

  // Edit distance of at most `limit` (insert, delete, change a letter, or swap two).
  function close(a, b, limit) {
    var previous = [], current, before = [];
    for (var j = 0; j <= b.length; j++) previous[j] = j;
    for (var i = 1; i <= a.length; i++) {
      current = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          current[j] = Math.min(current[j], before[j - 2] + 1);
        }
        best = Math.min(best, current[j]);
      }
      if (best > limit) return false;
      before = previous;
      previous = current;
    }
    return previous[b.length] <= limit;
  }

  // Order the page groups: most of the reader's words first, each word weighted by how rare it
  // is among pages (so "pump" counts for far more than "pain"). A word in the page's title or
  // other names counts twice; a section whose heading holds several of the words (an FAQ
  // question, say) adds their weight once more. Material's order breaks ties.
  function rank(groups, query) {
    if (!query.length || !setupData) return groups;
    if (!pagesByPath) pagesByPath = buildPages();
    var weights = query.map(function (word) {
      var forms = [word].concat(SYNONYMS[word] ? [SYNONYMS[word]] : []).map(function (form) {
        return {word: form, stemmed: stem(form)};
      });
      var found = pages.filter(function (page) { return holdsAny(page.allList, forms); }).length;
      return {forms: forms, idf: Math.log(1 + pages.length / (1 + found))};
    });
    var scored = groups.map(function (group, order) {
      var page = pagesByPath[group[0].location.split("#")[0]];
      return {group: group, score: page ? score(page, weights) : 0, order: order};
    });
    scored.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return scored.map(function (item) { return item.group; });
  }

  function score(page, weights) {
    var total = 0;
    weights.forEach(function (w) {
      if (holdsAny(page.allList, w.forms)) total += w.idf;
      if (holdsAny(page.strongList, w.forms)) total += w.idf;
    });
    var bestHeading = 0;
    page.heads.forEach(function (heading) {
      var sum = 0;
      weights.forEach(function (w) { if (holdsAny(heading, w.forms)) sum += w.idf; });
      bestHeading = Math.max(bestHeading, sum);
    });
    return total + bestHeading + (namedBy(page, weights) ? total : 0);
  }

  // Is the reader's phrase (two words or more) one of the page's names, word for word?
  function namedBy(page, weights) {
    if (weights.length < 2) return false;
    var wanted = weights.map(function (w) { return w.forms[0].stemmed; });
    return page.names.some(function (name) {
      for (var start = 0; start + wanted.length <= name.length; start++) {
        if (wanted.every(function (stemmed, i) { return name[start + i] === stemmed; })) return true;
      }
      return false;
    });
  }

  function holdsAny(stems, forms) {
    return forms.some(function (form) { return holds(stems, form.word, form.stemmed); });
  }

  self.importScripts(new URL("workers/" + material, here).href);
})();
