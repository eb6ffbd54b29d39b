// The live workshop on the phone and on the facilitator's screen: plain EventSource and fetch,
// no framework. Every text comes from the page's data attributes (NL or EN, from the server).
(function () {
  'use strict';
  var root = document.getElementById('live');
  if (!root) { return; }
  var role = root.getAttribute('data-role');
  var code = root.getAttribute('data-code');
  var lang = root.getAttribute('data-lang') || 'nl';
  function t(name) { return root.getAttribute('data-t-' + name) || ''; }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? String(values[k]) : m; });
  }
  // Numbers as the server writes them: a decimal comma in Dutch, a point in English.
  function num(x, digits) {
    var s = Number(x).toFixed(digits);
    return lang === 'en' ? s : s.replace('.', ',');
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function errorText(body) {
    var c = body && body.error && body.error.code;
    if (c === 'validation_failed') { c = 'validation_failed'; }
    return (c && root.getAttribute('data-err-' + c)) || t('failed');
  }
  var status = document.getElementById('status');
  function say(text) { if (status) { status.textContent = text; } }

  // The guesses' part of a reveal: count, then mean and distribution from three guesses on.
  function guessesPart(r, min) {
    var box = el('div');
    box.appendChild(el('p', null, fill(t('guesses'), { n: r.guesses })));
    if (r.distribution === null || r.guess_mean === null) {
      box.appendChild(el('p', 'note', t('too-few')));
      return box;
    }
    box.appendChild(el('p', null, t('guess-mean') + ': ' + num(r.guess_mean, 1)));
    var most = Math.max.apply(null, r.distribution.concat([1]));
    var list = el('ul', 'live-bars');
    list.setAttribute('aria-label', t('distribution'));
    r.distribution.forEach(function (n, i) {
      var li = el('li');
      li.appendChild(el('span', null, String(min + i)));
      var bar = el('span', 'bar');
      bar.style.width = (100 * n / most) + '%';
      bar.setAttribute('aria-hidden', 'true');
      li.appendChild(bar);
      li.appendChild(el('span', null, String(n)));
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }

  function listen(handlers) {
    var es = new EventSource('/api/v1/live/' + encodeURIComponent(code) + '/events?lang=' + lang);
    Object.keys(handlers).forEach(function (name) {
      es.addEventListener(name, function (ev) { handlers[name](JSON.parse(ev.data)); });
    });
    es.addEventListener('end', function () { es.close(); });
    es.onerror = function () { if (es.readyState !== EventSource.CLOSED) { say(t('reconnecting')); } };
    return es;
  }

  if (role === 'phone') {
    var form = document.getElementById('guess-form');
    var question = document.getElementById('question');
    var keyInput = document.getElementById('dimension-key');
    var scale = document.getElementById('scale');
    var hint = document.getElementById('scale-hint');
    var ack = document.getElementById('ack');
    var reveal = document.getElementById('reveal');
    var min = 1;
    function ask(d) {
      min = d.scale.min;
      keyInput.value = d.dimension_key;
      question.textContent = fill(t('question'), { label: d.label });
      hint.textContent = fill(t('scale-hint'), { min: d.scale.min, max: d.scale.max });
      scale.textContent = '';
      for (var v = d.scale.min; v <= d.scale.max; v++) {
        var label = el('label', 'live-value');
        var input = document.createElement('input');
        input.type = 'radio'; input.name = 'value'; input.value = String(v); input.required = true;
        label.appendChild(input);
        label.appendChild(el('span', null, String(v)));
        scale.appendChild(label);
      }
      ack.textContent = ''; ack.className = 'live-ack';
      reveal.hidden = true;
      form.hidden = false;
      say('');
      question.focus();
    }
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var chosen = form.querySelector('input[name=value]:checked');
      if (!chosen) { return; }
      var value = parseInt(chosen.value, 10);
      fetch('/api/v1/live/' + encodeURIComponent(code) + '/guesses', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ dimension_key: keyInput.value, value: value })
      }).then(function (resp) {
        return resp.json().then(function (body) { return { ok: resp.status === 201, body: body }; });
      }).then(function (res) {
        ack.className = res.ok ? 'live-ack' : 'live-ack problem';
        ack.textContent = res.ok ? fill(t('received'), { value: value }) : errorText(res.body);
      }).catch(function () {
        ack.className = 'live-ack problem';
        ack.textContent = t('failed');
      });
    });
    listen({
      open: ask,
      close: function () { form.hidden = true; say(t('closed')); },
      reveal: function (r) {
        if (r.dimension_key === keyInput.value || form.hidden) {
          form.hidden = true;
          say(t('closed'));
        }
        reveal.textContent = '';
        reveal.appendChild(el('h2', null, t('reveal-heading')));
        reveal.appendChild(guessesPart(r, min));
        reveal.hidden = false;
      },
      end: function () { form.hidden = true; ack.textContent = ''; say(t('ended')); }
    });
    return;
  }

  // The facilitator's screen.
  var csrf = root.getAttribute('data-csrf');
  var endButton = document.getElementById('end');
  var closing = document.getElementById('closing');
  var scaleMin = 1;
  function post(path, body) {
    return fetch('/api/v1/live/' + encodeURIComponent(code) + path, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(body || {})
    }).then(function (resp) {
      return resp.json().then(function (b) {
        if (!resp.ok) { say((b.error && b.error.message) || t('failed')); throw new Error('refused'); }
        return b;
      });
    });
  }
  function row(key) { return document.getElementById('row-' + key); }
  function markOpen(key) {
    Array.prototype.forEach.call(document.querySelectorAll('.live-row'), function (r) {
      var open = r.getAttribute('data-key') === key;
      r.classList.toggle('is-open', open);
      r.querySelector('.live-open-tag').hidden = !open;
    });
  }
  function figure(caption, value, extra) {
    var d = el('div');
    d.appendChild(el('p', 'caption', caption));
    d.appendChild(el('p', 'big', value));
    if (extra) { d.appendChild(el('p', 'note', extra)); }
    return d;
  }
  function showReveal(r) {
    var r0 = row(r.dimension_key);
    if (!r0) { return; }
    var box = r0.querySelector('[data-reveal-of]');
    box.textContent = '';
    var figs = el('div', 'live-figures');
    var team = el('div');
    team.appendChild(el('p', 'caption', t('team-guess')));
    team.appendChild(guessesPart(r, scaleMin));
    figs.appendChild(team);
    var reason = r.withheld_reason ? root.getAttribute('data-reason-' + r.withheld_reason) : '';
    figs.appendChild(figure(t('prediction'), r.predicted ? num(r.predicted.mean, 1) : (reason || t('not-asked'))));
    if (r.customer) {
      var ci = r.customer.ci95 ? t('interval') + ' ' + num(r.customer.ci95[0], 1) + ' – ' + num(r.customer.ci95[1], 1) : '';
      figs.appendChild(figure(t('customers'), num(r.customer.mean, 1), ci));
    } else {
      figs.appendChild(figure(t('customers'), '–', reason));
    }
    box.appendChild(figs);
    r0.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
    r0.classList.remove('is-open');
    r0.querySelector('.live-open-tag').hidden = true;
  }
  function showClosing(c) {
    closing.textContent = '';
    closing.appendChild(el('h2', null, t('closing-heading')));
    if (!c.dimensions_used) {
      closing.appendChild(el('p', null, t('no-closing')));
    } else {
      closing.appendChild(el('p', null, fill(t('live-mae'), { mae: num(c.live_mae, 2), n: c.dimensions_used })));
      if (c.survey_mae !== null) {
        closing.appendChild(el('p', null, fill(t('survey-mae'), { mae: num(c.survey_mae, 2), n: c.survey_dimensions_used })));
      }
    }
    closing.hidden = false;
  }
  document.addEventListener('click', function (ev) {
    var b = ev.target.closest('button');
    if (!b || b.disabled) { return; }
    var open = b.getAttribute('data-open');
    var rev = b.getAttribute('data-reveal');
    if (open) {
      post('/open', { dimension_key: open }).then(function (d) { scaleMin = d.scale.min; markOpen(open); }).catch(function () {});
    } else if (rev) {
      post('/reveal', { dimension_key: rev }).then(showReveal).catch(function () {});
    } else if (b === endButton) {
      post('/end').then(function (d) {
        endButton.disabled = true;
        document.querySelectorAll('[data-open],[data-reveal]').forEach(function (x) { x.disabled = true; });
        say(t('ended'));
        showClosing(d.closing);
      }).catch(function () {});
    }
  });
  listen({
    open: function (d) { scaleMin = d.scale.min; markOpen(d.dimension_key); },
    close: function () { markOpen(''); },
    count: function (d) {
      var n = document.querySelector('[data-count="' + d.dimension_key + '"]');
      if (n) { n.textContent = String(d.guesses); }
    },
    reveal: showReveal,
    end: function () { endButton.disabled = true; say(t('ended')); }
  });
}());
