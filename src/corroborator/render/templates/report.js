
document.addEventListener('click',function(ev){
 var a=ev.target.closest('a.cite');
 if(a){var t=document.getElementById(a.getAttribute('data-target'));
  if(t){ev.preventDefault();t.scrollIntoView({behavior:'smooth',block:'center'});
   t.classList.remove('flash');void t.offsetWidth;t.classList.add('flash');}return;}
 var f=ev.target.closest('mark.fact');
 document.querySelectorAll('.fact-on').forEach(function(x){x.classList.remove('fact-on');});
 if(f){document.querySelectorAll('mark.fact[data-fact="'+f.getAttribute('data-fact')+'"]').forEach(function(x){
  x.classList.add('fact-on');if(x!==f&&x.closest('.source')!==f.closest('.source')){x.scrollIntoView({block:'nearest'});}});}
 var c=ev.target.closest('.claim');
 document.querySelectorAll('.linked').forEach(function(x){x.classList.remove('linked');});
 if(c){c.classList.add('linked');(c.getAttribute('data-links')||'').split(' ').forEach(function(id){
  var o=id&&document.getElementById(id);if(o){o.classList.add('linked');}});}
});
