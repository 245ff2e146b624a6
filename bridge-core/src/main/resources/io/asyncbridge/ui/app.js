// The live view: reads /api/overview every two seconds and renders it. Every text goes in through textContent,
// never as HTML, so a taskId or error code cannot inject markup.
(function () {
  'use strict';
  const REFRESH_MS = 2000;
  let token = sessionStorage.getItem('bridge-token') || '';

  function headers() {
    return token ? { 'Authorization': 'Bearer ' + token } : {};
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: headers(), cache: 'no-store' });
    const body = await response.json().catch(() => ({}));
    if (response.status === 401) {
      document.getElementById('auth').hidden = false;
    }
    if (!response.ok) {
      const error = body.error || {};
      throw new Error((error.code || response.status) + ': ' + (error.message || 'request failed'));
    }
    return body;
  }

  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text == null ? '' : String(text);
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function time(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleTimeString();
  }

  function idCell(row, taskId) {
    const td = cell(row, taskId, 'id');
    td.title = taskId;
    td.addEventListener('click', () => showTask(taskId));
  }

  function renderInFlight(tasks) {
    const body = document.querySelector('#inflight tbody');
    body.replaceChildren();
    for (const task of tasks) {
      const row = document.createElement('tr');
      row.dataset.taskId = task.taskId;
      idCell(row, task.taskId);
      cell(row, task.provider);
      cell(row, task.mode);
      cell(row, task.state);
      const progress = cell(row, '');
      if (typeof task.progress === 'number' && task.progress >= 0) {
        const bar = document.createElement('span');
        bar.className = 'bar';
        const fill = document.createElement('span');
        fill.style.width = Math.min(100, task.progress) + '%';
        bar.appendChild(fill);
        progress.appendChild(bar);
        progress.appendChild(document.createTextNode(' ' + task.progress + '%'));
      }
      cell(row, time(task.submittedAt));
      body.appendChild(row);
    }
    document.getElementById('inflight-count').textContent = '(' + tasks.length + ')';
  }

  function renderRecent(completions) {
    const body = document.querySelector('#recent tbody');
    body.replaceChildren();
    for (const completion of completions) {
      const row = document.createElement('tr');
      row.dataset.taskId = completion.taskId;
      idCell(row, completion.taskId);
      cell(row, completion.provider);
      const status = cell(row, '');
      const badge = document.createElement('span');
      badge.className = 'status ' + String(completion.status).replace(/[^a-z_]/g, '');
      badge.textContent = completion.status;
      status.appendChild(badge);
      cell(row, completion.via);
      cell(row, completion.errorCode);
      cell(row, time(completion.completedAt));
      body.appendChild(row);
    }
  }

  function renderRates(perMinute) {
    const rates = document.getElementById('rates');
    rates.replaceChildren();
    const statuses = Object.keys(perMinute || {});
    if (statuses.length === 0) {
      const none = document.createElement('span');
      none.className = 'muted';
      none.textContent = 'none yet';
      rates.appendChild(none);
    }
    for (const status of statuses) {
      const rate = document.createElement('span');
      rate.className = 'rate';
      rate.dataset.status = status;
      const value = document.createElement('b');
      value.textContent = perMinute[status];
      rate.appendChild(value);
      rate.appendChild(document.createTextNode(status));
      rates.appendChild(rate);
    }
  }

  async function refresh() {
    try {
      const overview = await getJson('/api/overview?limit=100');
      renderInFlight((overview.inFlight && overview.inFlight.tasks) || []);
      renderRecent(overview.recent || []);
      renderRates(overview.perMinute);
      document.getElementById('error').hidden = true;
      const partial = overview.inFlight && overview.inFlight.incomplete;
      document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString()
        + (partial ? ' (not answering: ' + partial.join(', ') + ')' : '');
    } catch (e) {
      const error = document.getElementById('error');
      error.textContent = e.message;
      error.hidden = false;
    }
  }

  async function showTask(taskId) {
    document.getElementById('detail').hidden = false;
    document.getElementById('detail-id').textContent = taskId;
    const body = document.getElementById('detail-body');
    try {
      body.textContent = JSON.stringify(await getJson('/api/tasks/' + encodeURIComponent(taskId)), null, 2);
    } catch (e) {
      body.textContent = e.message;
    }
  }

  document.getElementById('find').addEventListener('submit', (event) => {
    event.preventDefault();
    const taskId = document.getElementById('find-id').value.trim();
    if (taskId) showTask(taskId);
  });
  document.getElementById('detail-close').addEventListener('click', () => {
    document.getElementById('detail').hidden = true;
  });
  document.getElementById('auth-form').addEventListener('submit', (event) => {
    event.preventDefault();
    token = document.getElementById('token').value;
    sessionStorage.setItem('bridge-token', token);
    document.getElementById('auth').hidden = true;
    refresh();
  });

  refresh();
  setInterval(refresh, REFRESH_MS);
})();
